package loopbench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import loopbench.report.Metric;
import org.junit.jupiter.api.Test;

/**
 * The controls of the micro suite (benchmarks without a runtime, none of Loopbench's code) tell
 * the machine's drift between two runs from a change of the code: compare says when they moved.
 */
class MachineDriftTest {
    private static RegressionCheck.Row row(String benchmark, String params, double base, double cur) {
        var key = new RegressionCheck.Key(benchmark, "avgt", params, RegressionCheck.PRIMARY);
        var raw = new double[] {base, base, base, base, base};
        var rawCur = new double[] {cur, cur, cur, cur, cur};
        return RegressionCheck.row(
                key,
                new Metric(base, Double.NaN, Double.NaN, Double.NaN, "ns/op", raw),
                new Metric(cur, Double.NaN, Double.NaN, Double.NaN, "ns/op", rawCur),
                10);
    }

    private static RegressionCheck.Outcome outcome(RegressionCheck.Row... rows) {
        return new RegressionCheck.Outcome(List.of(rows), List.of(), List.of(), 10, 0.01);
    }

    @Test
    void aControlThatMovedBeyondTheThresholdIsNamedAsTheMachines() {
        Optional<String> note = CompareReport.machineDrift(outcome(
                row("loopbench.bench.micro.ArrayDequeFloor.queueMicrotask", "", 1.79, 2.04),
                row("loopbench.bench.micro.ArrayDequeFloor.promiseThenChain", "", 8.62, 10.3),
                row("loopbench.bench.micro.JobQueueCost.nextTick", "runtime=loop", 3.49, 4.56)));
        assertTrue(note.isPresent());
        assertTrue(note.get().startsWith("note: 2 control(s) without a runtime"), note.get());
        assertTrue(note.get().contains("moved +14.0% to +19.5%"), note.get());
    }

    @Test
    void runtimesMovingAloneSayNothingOfTheMachine() {
        assertEquals(
                Optional.empty(),
                CompareReport.machineDrift(outcome(
                        row("loopbench.bench.micro.ArrayDequeFloor.queueMicrotask", "", 1.79, 1.80),
                        row("loopbench.bench.micro.JobQueueCost.nextTick", "runtime=loop", 3.49, 4.56))));
    }
}
