package loopbench.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The rejection of {@code Promise.any} when every input rejected: the reasons, in input order. */
public final class AggregateError extends RuntimeException {
    private final transient List<Object> errors;

    public AggregateError(List<Object> errors) {
        super("All promises were rejected", null, false, false);
        this.errors = Collections.unmodifiableList(new ArrayList<>(errors)); // reasons may be null
    }

    public List<Object> errors() {
        return errors;
    }
}
