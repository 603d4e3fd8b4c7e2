package loopbench.core;

import java.util.Objects;

/**
 * Carries a JavaScript-style thrown value that is not a Java exception ({@code throw "boom"}).
 * Throwing one rejects with {@link #value()}; awaiting a promise rejected with a non-exception
 * reason throws one. Stack traces are not filled in: these are values, not failures of the runtime.
 */
public final class ValueException extends RuntimeException {
    private final transient Object value;

    public ValueException(Object value) {
        super(null, null, false, false);
        this.value = value;
    }

    public Object value() {
        return value;
    }

    @Override
    public String getMessage() {
        return "thrown value: " + Objects.toString(value);
    }

    /** The rejection reason a throwable stands for: the carried value, or the throwable itself. */
    public static Object reasonOf(Throwable t) {
        return t instanceof ValueException v ? v.value : t;
    }

    /** The throwable that re-throws {@code reason}: unchecked ones as they are, anything else carried. */
    public static RuntimeException toThrow(Object reason) {
        if (reason instanceof RuntimeException r) return r;
        if (reason instanceof Error e) throw e;
        return new ValueException(reason);
    }
}
