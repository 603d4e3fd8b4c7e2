package loopbench.bench.load;

import java.util.Locale;

/** How requests are spread over loops. */
public enum Layout {
    /** One loop for all requests: Node's single process. */
    SINGLE("single"),
    /** N loops (default: one per core), requests round-robin: Node's cluster module. On threadpool they share one pool. */
    PER_CORE("per-core"),
    /**
     * A fresh loop per request: thread-per-request. Only on loom and threadpool (on threadpool every
     * request loop runs on one shared bounded pool); the loop runtime would start a platform thread and a
     * worker pool per request, which no Node server does.
     */
    PER_REQUEST("per-request");

    private final String id;

    Layout(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Layout parse(String s) {
        for (Layout l : values()) if (l.id.equals(s.toLowerCase(Locale.ROOT))) return l;
        throw new IllegalArgumentException("unknown layout '" + s + "': use single, per-core or per-request");
    }

    @Override
    public String toString() {
        return id;
    }
}
