package loopbench.schema;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * What a forked load runner tells {@code ./loopbench bench} on its standard output, one JSON object
 * per line, e.g. {@code {"event":"start","stem":"mixed_loop_1200","fraction":"0.5","rate":1200}}.
 * Every other line of the fork's output is text for the user, passed through as it is.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "event")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ForkEvent.Capacity.class, name = "capacity"),
    @JsonSubTypes.Type(value = ForkEvent.Start.class, name = "start"),
    @JsonSubTypes.Type(value = ForkEvent.Done.class, name = "done"),
    @JsonSubTypes.Type(value = ForkEvent.Fail.class, name = "fail"),
    @JsonSubTypes.Type(value = ForkEvent.Climbed.class, name = "climbed")
})
public sealed interface ForkEvent {

    /** The closed-loop capacity estimate of a load on a runtime, requests per second. */
    record Capacity(String load, String runtime, double value) implements ForkEvent {}

    /** A measured point begins: its file stem, its share of capacity (null on a ladder) and its offered rate. */
    record Start(String stem, String fraction, double rate) implements ForkEvent {}

    /** A point finished and its files are written. */
    record Done(String stem, double seconds) implements ForkEvent {}

    /** A point failed; the runner goes on with the next one. {@code fraction} is the rate on a ladder. */
    record Fail(String load, String runtime, String fraction, String message) implements ForkEvent {}

    /**
     * A runtime's climb up the ladder ended after {@code points} of its {@code rungs}: where it
     * saturated (null if it did not), why it stopped, and its capacity at the objective (null if none).
     */
    record Climbed(
            String load, String runtime, int points, int rungs, Double saturation, String stop, Double sloCapacity)
            implements ForkEvent {}

    /** This event as one line of JSON, without the line break. */
    default String toLine() {
        try {
            return RunFiles.JSON_LINES.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The event a line holds, or null when the line is text for the user (anything but an event object). */
    static ForkEvent parse(String line) {
        if (!line.startsWith("{\"event\":")) {
            return null;
        }
        try {
            return RunFiles.JSON_LINES.readValue(line, ForkEvent.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
