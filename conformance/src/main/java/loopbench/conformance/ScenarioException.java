package loopbench.conformance;

/**
 * A scenario that is wrong, not a program that fails: an invalid file, or an id used before it
 * was defined. An Error, so that no scenario-level {@code try} or promise swallows it.
 */
public final class ScenarioException extends Error {
    public ScenarioException(String message) {
        super(message, null, false, false);
    }
}
