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

    /**
     * Whether a runner error says the scenario itself is wrong (ScenarioException messages) rather
     * than that the runtime failed ("the loop failed: ...", "did not finish within ...").
     */
    static boolean invalid(String error) {
        return error.startsWith("unknown ") || error.contains("used before") || error.contains("await outside");
    }
}
