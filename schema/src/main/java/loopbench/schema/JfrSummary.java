package loopbench.schema;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;
import java.util.TreeMap;

/**
 * RUN_DIR/jfr-summary.json: each point's flight recording summarised ({@link Point}, keyed by the
 * point's stem {@code <load>_<runtime>_<rate>}) and the totals over all points.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JfrSummary(int schema, Totals totals, Map<String, Point> points) {

    /** What one recording held; durations in milliseconds. Also the file points/STEM.jfr.json. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Point(
            String file,
            long events,
            long virtualThreadPinned,
            double virtualThreadPinnedMs,
            double virtualThreadPinnedMaxMs,
            long virtualThreadSubmitFailed,
            long gcCount,
            double gcPauseMs,
            double gcLongestPauseMs,
            Map<String, Long> loopbenchEvents,
            double loopLagSpikeMaxMs) {}

    /** Sums over every point; loopbench events by type, in name order. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Totals(
            long virtualThreadPinned,
            long virtualThreadSubmitFailed,
            long gcCount,
            double gcPauseMs,
            Map<String, Long> loopbenchEvents) {}

    /** The summary of {@code points} (in the order given), totals included. */
    public static JfrSummary of(Map<String, Point> points) {
        long pinned = 0;
        long submitFailed = 0;
        long gcs = 0;
        double gcPause = 0;
        Map<String, Long> events = new TreeMap<>();
        for (Point p : points.values()) {
            pinned += p.virtualThreadPinned();
            submitFailed += p.virtualThreadSubmitFailed();
            gcs += p.gcCount();
            gcPause += p.gcPauseMs();
            if (p.loopbenchEvents() != null) p.loopbenchEvents().forEach((k, v) -> events.merge(k, v, Long::sum));
        }
        return new JfrSummary(
                RunFiles.SCHEMA,
                new Totals(pinned, submitFailed, gcs, Math.round(gcPause * 1000) / 1000.0, events),
                points);
    }
}
