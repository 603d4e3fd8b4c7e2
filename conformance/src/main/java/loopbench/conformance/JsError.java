package loopbench.conformance;

import java.util.Set;

/**
 * A scenario's {@code new TypeError(message)}: the value {@code {"$error": "TypeError", "message": M}}
 * stands for. Its text is JavaScript's {@code String(error)}: {@code "TypeError: M"}, or the bare
 * name when the message is empty. Thrown as it is (an Error object is a Java exception here too).
 */
public final class JsError extends RuntimeException {
    /** The constructors a scenario may name: ECMAScript's NativeErrors that a program can throw itself. */
    public static final Set<String> NAMES =
            Set.of("Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError", "EvalError", "URIError");

    private final String name;

    public JsError(String name, String message) {
        super(message, null, false, false);
        if (!NAMES.contains(name)) throw new IllegalArgumentException("not an error constructor: " + name);
        this.name = name;
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return getMessage().isEmpty() ? name : name + ": " + getMessage();
    }
}
