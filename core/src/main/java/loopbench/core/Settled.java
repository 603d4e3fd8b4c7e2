package loopbench.core;

/** One element of {@code Promise.allSettled}'s result: {@code {status, value}} or {@code {status, reason}}. */
public record Settled(boolean fulfilled, Object value, Object reason) {
    public String status() {
        return fulfilled ? "fulfilled" : "rejected";
    }
}
