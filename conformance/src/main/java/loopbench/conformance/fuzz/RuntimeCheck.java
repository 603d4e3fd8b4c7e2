package loopbench.conformance.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import loopbench.conformance.Scenario;
import loopbench.conformance.ScenarioException;
import loopbench.conformance.ScenarioRunner;

/** Runs a scenario on one runtime and compares its log with Node's. */
public final class RuntimeCheck {
    public enum Outcome {
        /** Same log as Node. */
        MATCH,
        /** Another log, or the runtime failed (stuck, loop error). */
        MISMATCH,
        /** The scenario is invalid (an id used before it was defined...): the generator's fault, not the runtime's. */
        INVALID
    }

    public record Run(String runtime, Outcome outcome, List<String> log, String error) {}

    private final ScenarioRunner runner = new ScenarioRunner();

    public Run run(JsonNode scenario, String runtime, List<String> expected) {
        Scenario sc;
        try {
            sc = Scenario.parse(scenario, Path.of(scenario.path("name").asText("scenario") + ".json"));
        } catch (ScenarioException e) {
            return new Run(runtime, Outcome.INVALID, null, e.getMessage());
        }
        ScenarioRunner.Result r = runner.run(sc, runtime);
        if (r.error() != null)
            return new Run(runtime, invalid(r.error()) ? Outcome.INVALID : Outcome.MISMATCH, null, r.error());
        return new Run(runtime, r.log().equals(expected) ? Outcome.MATCH : Outcome.MISMATCH, r.log(), null);
    }

    /** Runs after a first mismatch that decide whether it reproduces. */
    static final int CONFIRM_RUNS = 2;

    /**
     * How many of {@link #CONFIRM_RUNS} further runs of a scenario that just mismatched on
     * {@code runtime} mismatch again. Fewer than all of them means flaky: the order hung on timing
     * (an io read that a loaded machine made slower than a timer Node's read always beats, seed 4
     * of FuzzSmokeTest beside two CPU hogs) or on a race in the runtime; the fuzzer reports both
     * kinds but shrinks and saves only mismatches that always reproduce.
     */
    public int mismatchesOnRerun(JsonNode scenario, String runtime, List<String> expected) {
        int again = 0;
        for (int k = 0; k < CONFIRM_RUNS; k++) {
            if (run(scenario, runtime, expected).outcome() == Outcome.MISMATCH) again++;
        }
        return again;
    }

    /**
     * Whether a runner error says the scenario itself is wrong (ScenarioException messages) rather
     * than that the runtime failed ("the loop failed: ...", "did not finish within ...").
     */
    static boolean invalid(String error) {
        return error.startsWith("unknown ") || error.contains("used before") || error.contains("await outside");
    }
}
