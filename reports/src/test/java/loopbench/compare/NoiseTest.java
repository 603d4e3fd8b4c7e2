package loopbench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: a change fails the check only when it is beyond the threshold AND significant, so a
 * second run of the same code passes and a real slow-down fails. The runs are {@link NoisyRun}s:
 * every figure drawn with a seed, load points with their one-second hlog intervals.
 */
class NoiseTest {
    @TempDir
    Path tmp;

    @Test
    void twoRunsOfTheSameCodeAreNoRegression() throws IOException {
        for (long seed = 1; seed <= 5; seed++) {
            Path a = NoisyRun.write(tmp.resolve("a" + seed), seed, 1, 1);
            Path b = NoisyRun.write(tmp.resolve("b" + seed), 100 + seed, 1, 1);
            CompareCommandTest.Run r = CompareCommandTest.compare(a.toString(), b.toString(), "--threshold", "5");
            assertEquals(0, r.code(), r.out());
            assertTrue(r.out().contains(" 0 regression(s)"), r.out());
        }
    }

    @Test
    void threeTimesTheLatencyIsARegressionOfEveryLatencyAndOfTheMicroResults() throws IOException {
        Path a = NoisyRun.write(tmp.resolve("a"), 1, 1, 1);
        Path slow = NoisyRun.write(tmp.resolve("slow"), 2, 3, 1);
        CompareCommandTest.Run r = CompareCommandTest.compare(a.toString(), slow.toString());
        assertEquals(1, r.code(), r.out());
        String p99 = r.row("LatencyUnderLoad.openLoop", "load=mixed,rate=1000,runtime=loop", "latency.p99");
        assertTrue(p99.contains("regression") && p99.contains("rank test p="), p99);
        assertTrue(p99.contains("8 vs 8 intervals"), p99);
        String lag = r.row("LatencyUnderLoad.openLoop", "load=mixed,rate=1800,runtime=loom", "lag.p99");
        assertTrue(lag.contains("regression"), lag);
        String micro = r.row("PromiseCost.promiseThenChain", "runtime=threadpool", "score (avgt)");
        assertTrue(micro.contains("regression") && micro.contains("10 vs 10 iterations"), micro);
        String requests = r.row("LatencyUnderLoad.openLoop", "load=mixed,rate=1000,runtime=loop", "requests");
        assertTrue(requests.contains("not judged"), requests);
    }

    @Test
    void moreThroughputIsAnImprovementAndNeverFails() throws IOException {
        Path a = NoisyRun.write(tmp.resolve("a"), 1, 1, 1);
        Path more = NoisyRun.write(tmp.resolve("more"), 2, 1, 1.2);
        CompareCommandTest.Run r = CompareCommandTest.compare(a.toString(), more.toString());
        assertEquals(0, r.code(), r.out());
        String score = r.row("LatencyUnderLoad.openLoop", "load=mixed,rate=1800,runtime=loom", "score (ss)");
        assertTrue(score.contains("improvement"), score);
    }

    @Test
    void pooledRunsOfEachSideAreComparedAsOne() throws IOException {
        Path a1 = NoisyRun.write(tmp.resolve("a1"), 1, 1, 1);
        Path a2 = NoisyRun.write(tmp.resolve("a2"), 2, 1, 1);
        Path b1 = NoisyRun.write(tmp.resolve("b1"), 3, 1, 1);
        Path b2 = NoisyRun.write(tmp.resolve("b2"), 4, 1, 1);
        CompareCommandTest.Run r = CompareCommandTest.compare(a1 + "," + a2, b1 + "," + b2);
        assertEquals(0, r.code(), r.out());
        String p99 = r.row("LatencyUnderLoad.openLoop", "load=mixed,rate=1000,runtime=loop", "latency.p99");
        assertTrue(p99.contains("16 vs 16 intervals"), p99);
    }
}
