package loopbench.bench.load;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.Configuration;
import jdk.jfr.Event;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import loopbench.core.jfr.AwaitHandOffEvent;
import loopbench.core.jfr.BlockedLoopEvent;
import loopbench.core.jfr.LoopLagEvent;
import loopbench.core.jfr.PoolExhaustedEvent;
import loopbench.schema.JfrSummary;

/**
 * The flight recording of one load point: JFR's default settings, plus virtual-thread pinning
 * (over 1 ms) and submit failures, and the loopbench events; a slow-hand-off threshold keeps the
 * per-await {@code loopbench.AwaitHandOff} event from flooding the file. {@link #summarise} counts
 * what a reader of the report wants to know without opening the file.
 */
final class JfrSupport {
    /** Every loopbench event, by class: a name that is not an event's {@code @Name} cannot be enabled. */
    static final List<Class<? extends Event>> LOOPBENCH_EVENTS = List.of(
            LoopLagEvent.class,
            LoadRunEvent.class,
            AwaitHandOffEvent.class,
            BlockedLoopEvent.class,
            PoolExhaustedEvent.class);

    private JfrSupport() {}

    private static String name(Class<? extends Event> type) {
        return type.getAnnotation(Name.class).value();
    }

    static Recording start(Path file, String name) throws IOException {
        Configuration config;
        try {
            config = Configuration.getConfiguration("default");
        } catch (java.text.ParseException e) {
            throw new IOException("JFR's default configuration does not parse: " + e.getMessage(), e);
        }
        Recording r = new Recording(config);
        r.setName(name);
        r.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ofMillis(1)).withStackTrace();
        r.enable("jdk.VirtualThreadSubmitFailed").withStackTrace();
        for (Class<? extends Event> type : LOOPBENCH_EVENTS) r.enable(name(type));
        r.enable(name(AwaitHandOffEvent.class)).withThreshold(Duration.ofMillis(1));
        r.setToDisk(true);
        r.setDestination(file);
        r.start();
        return r;
    }

    /** Stops the recording, which writes its destination file. */
    static void stop(Recording r) {
        r.stop();
        r.close();
    }

    /** Event counts by kind, GC pauses, and the worst lag spike, from a .jfr file. */
    static JfrSummary.Point summarise(Path file) throws IOException {
        Map<String, Long> loopbench = new TreeMap<>();
        long pinned = 0;
        long pinnedNanos = 0;
        long pinnedMax = 0;
        long submitFailed = 0;
        long gcs = 0;
        long gcPauseNanos = 0;
        long gcLongestPause = 0;
        long lagMax = 0;
        long events = 0;
        try (RecordingFile in = new RecordingFile(file)) {
            while (in.hasMoreEvents()) {
                RecordedEvent e = in.readEvent();
                events++;
                String type = e.getEventType().getName();
                switch (type) {
                    case "jdk.VirtualThreadPinned" -> {
                        pinned++;
                        long d = e.getDuration().toNanos();
                        pinnedNanos += d;
                        pinnedMax = Math.max(pinnedMax, d);
                    }
                    case "jdk.VirtualThreadSubmitFailed" -> submitFailed++;
                    case "jdk.GarbageCollection" -> {
                        gcs++;
                        gcPauseNanos += duration(e, "sumOfPauses");
                        gcLongestPause = Math.max(gcLongestPause, duration(e, "longestPause"));
                    }
                    default -> {
                        if (type.startsWith("loopbench.")) {
                            loopbench.merge(type, 1L, Long::sum);
                            if (type.equals("loopbench.LoopLag") && e.hasField("lagNanos"))
                                lagMax = Math.max(lagMax, e.getLong("lagNanos"));
                        }
                    }
                }
            }
        }
        return new JfrSummary.Point(
                "jfr/" + file.getFileName(),
                events,
                pinned,
                pinnedNanos / 1e6,
                pinnedMax / 1e6,
                submitFailed,
                gcs,
                gcPauseNanos / 1e6,
                gcLongestPause / 1e6,
                loopbench,
                lagMax / 1e6);
    }

    private static long duration(RecordedEvent e, String field) {
        if (!e.hasField(field)) return 0;
        Duration d = e.getDuration(field);
        return d == null ? 0 : d.toNanos();
    }
}
