package loopbench.bench.micro;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What does reading the clock cost? Every {@code setTimeout} reads it once, because Node's
 * {@code getLibuvNow()} refreshes the loop time (NODE-SEMANTICS rule 8), so this is part of
 * {@code TimerCost} and {@code TimerScheduleCancel} on every runtime, and of Node's own figure
 * (libuv reads {@code CLOCK_MONOTONIC} unless {@code CLOCK_MONOTONIC_COARSE} has 1 ms resolution
 * or better). It depends on the machine's clock source, not on the runtime: no runtime parameter.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ClockCost {
    @Benchmark
    public long nanoTime() {
        return System.nanoTime();
    }
}
