package loopbench.bench.micro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import loopbench.schema.Direction;
import loopbench.schema.MicroMetric;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;

/**
 * Every metric the micro suite writes has a direction in {@link MicroMetric}: each benchmark's mode
 * (its primary score), the gc profiler's figures that {@code loopbench micro} always turns on, and
 * each {@code @AuxCounters} field or method. Adding a benchmark mode or a counter without saying
 * which way is better fails here, instead of being silently never judged by compare.
 */
class MicroMetricsTest {
    /** JMH 1.37's gc profiler: what {@code -prof gc} adds to every result. */
    static final List<String> GC_PROFILER = List.of("·gc.alloc.rate", "·gc.alloc.rate.norm", "·gc.count", "·gc.time");

    @Test
    void everyMetricTheSuiteWritesHasADirection() throws IOException, ReflectiveOperationException {
        List<String> missing = new ArrayList<>();
        Set<String> counters = new TreeSet<>();
        for (BenchmarkListEntry e : listed()) {
            String mode = e.getMode().shortLabel();
            if (MicroMetric.of(mode, "score") == null) missing.add(e.getUsername() + ": score in mode " + mode);
            for (String g : GC_PROFILER) {
                if (MicroMetric.of(mode, g) == null) missing.add(e.getUsername() + ": " + g);
            }
            counters.addAll(auxCounters(Class.forName(e.getUserClassQName())));
        }
        for (String c : counters) {
            if (MicroMetric.of("avgt", c) == null) missing.add("@AuxCounters " + c);
        }
        assertTrue(missing.isEmpty(), "metrics without a direction in loopbench.schema.MicroMetric: " + missing);
        assertEquals(Set.of("bytesPerTimer", "bytesPerParkedAwait"), counters, "the counters this test found");
    }

    @Test
    void directionsAreTheDefinitionsNeverTheUnits() {
        assertEquals(Direction.SMALLER_IS_BETTER, Direction.of("x.Y.z", "avgt", "score"));
        assertEquals(Direction.BIGGER_IS_BETTER, Direction.of("x.Y.z", "thrpt", "score"));
        assertEquals(Direction.SMALLER_IS_BETTER, Direction.of("x.Y.z", "avgt", "·gc.alloc.rate.norm"));
        assertEquals(Direction.NEVER_JUDGED, Direction.of("x.Y.z", "avgt", "·gc.alloc.rate"));
        assertEquals(Direction.NEVER_JUDGED, Direction.of("x.Y.z", "avgt", "·gc.count"));
        assertEquals(Direction.UNDEFINED, Direction.of("x.Y.z", "avgt", "someNewCounter"));
        assertFalse(Direction.UNDEFINED.judged());
    }

    private static List<BenchmarkListEntry> listed() throws IOException {
        try (InputStream in = MicroMetricsTest.class
                .getClassLoader()
                .getResourceAsStream(BenchmarkList.BENCHMARK_LIST.substring(1))) {
            assertNotNull(in, BenchmarkList.BENCHMARK_LIST + " is missing");
            return BenchmarkList.readBenchmarkList(in).stream()
                    .filter(e -> e.getUsername().startsWith("loopbench.bench.micro."))
                    .toList();
        }
    }

    /**
     * The names JMH reports for the class's @AuxCounters state objects (nested, or taken by any of its
     * methods: a @TearDown fills them as often as the benchmark): public fields and getters.
     */
    private static Set<String> auxCounters(Class<?> type) {
        Set<Class<?>> states = new java.util.LinkedHashSet<>(List.of(type.getDeclaredClasses()));
        for (Method m : type.getMethods()) states.addAll(List.of(m.getParameterTypes()));
        Set<String> names = new TreeSet<>();
        for (Class<?> p : states) {
            if (!p.isAnnotationPresent(AuxCounters.class)) continue;
            for (var f : p.getFields()) {
                if (!Modifier.isStatic(f.getModifiers())) names.add(f.getName());
            }
            for (Method g : p.getDeclaredMethods()) {
                if (Modifier.isPublic(g.getModifiers())
                        && !Modifier.isStatic(g.getModifiers())
                        && g.getParameterCount() == 0
                        && g.getReturnType().isPrimitive()
                        && g.getReturnType() != void.class) names.add(g.getName());
            }
        }
        return names;
    }
}
