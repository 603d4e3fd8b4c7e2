package loopbench.bench.soak;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One soak sample: the heap right after a full collection, the JVM's live platform threads, and what
 * the loop and the churn on it had done and held at that moment.
 *
 * @param seconds            since the churn started
 * @param heapAfterGcBytes   heap in use at the end of the full collection taken for this sample (the live set)
 * @param threads            live platform threads in the JVM (virtual threads are not counted)
 * @param opsCompleted       churn operations finished so far
 * @param opsInFlight        operations started and not yet finished
 * @param errors             unexpected outcomes so far (see {@link Churn})
 * @param parkedBodies       async bodies parked in an await (loom, threadpool; 0 on loop)
 * @param openHandles        TCP connections and servers open on the loop
 * @param emitterListeners   listeners on the churn's long-lived emitter (each operation adds and removes its own)
 * @param macrotasks         the loop's callbacks run so far ({@code loop.stats()})
 * @param jobs               the loop's nextTicks and microtasks run so far
 * @param loopAnswerMillis   how long the loop took to answer the sampler's {@code execute()}: a stall shows here
 */
record SoakSample(
        double seconds,
        long heapAfterGcBytes,
        int threads,
        long opsCompleted,
        long opsInFlight,
        long errors,
        int parkedBodies,
        int openHandles,
        int emitterListeners,
        long macrotasks,
        long jobs,
        double loopAnswerMillis) {

    static final List<String> COLUMNS = List.of(
            "seconds",
            "heapAfterGcBytes",
            "threads",
            "opsCompleted",
            "opsInFlight",
            "errors",
            "parkedBodies",
            "openHandles",
            "emitterListeners",
            "macrotasks",
            "jobs",
            "loopAnswerMillis");

    /** The sample as a JSON object, in {@link #COLUMNS} order. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", Math.round(seconds * 1000) / 1000.0);
        m.put("heapAfterGcBytes", heapAfterGcBytes);
        m.put("threads", threads);
        m.put("opsCompleted", opsCompleted);
        m.put("opsInFlight", opsInFlight);
        m.put("errors", errors);
        m.put("parkedBodies", parkedBodies);
        m.put("openHandles", openHandles);
        m.put("emitterListeners", emitterListeners);
        m.put("macrotasks", macrotasks);
        m.put("jobs", jobs);
        m.put("loopAnswerMillis", Math.round(loopAnswerMillis * 1000) / 1000.0);
        return m;
    }

    /** One CSV row, in {@link #COLUMNS} order, after the runtime's name. */
    String csvRow(String runtime) {
        StringBuilder sb = new StringBuilder(runtime);
        for (Object v : toMap().values()) sb.append(',').append(v);
        return sb.toString();
    }
}
