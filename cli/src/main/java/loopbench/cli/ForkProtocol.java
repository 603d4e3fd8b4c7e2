package loopbench.cli;

/**
 * What a forked {@code LoadRunner} tells its parent on stdout, one line per event, beside its
 * ordinary output: {@code @@capacity LOAD RUNTIME REQ_PER_S}, {@code @@start STEM FRACTION RATE},
 * {@code @@done STEM SECONDS}, {@code @@fail LOAD RUNTIME FRACTION REASON...}. The runner's
 * {@code LoadRunner} writes them; this class is the only reader.
 */
final class ForkProtocol {
  private ForkProtocol() {}

  /** One event from the fork. */
  sealed interface Event {}

  /** The runtime's estimated (or reused) capacity for the load, in requests per second. */
  record Capacity(String load, String runtime, double requestsPerSecond) implements Event {}

  /** A point starts: its file stem ({@code load_runtime_rate}), its fraction of capacity as printed, its rate. */
  record Start(String stem, String fraction, double rate) implements Event {}

  /** A point's files are written, {@code seconds} after it started (as printed). */
  record Done(String stem, String seconds) implements Event {}

  /** A point failed. */
  record Fail(String load, String runtime, String fraction, String reason) implements Event {}

  /** The event a line holds, or null for an ordinary line (or a protocol line that does not parse: shown as it is). */
  static Event parse(String line) {
    if (!line.startsWith("@@")) {
      return null;
    }
    String[] w = line.substring(2).trim().split(" ", 5);
    try {
      return switch (w[0]) {
        case "capacity" -> new Capacity(w[1], w[2], Double.parseDouble(w[3]));
        case "start" -> new Start(w[1], w[2], Double.parseDouble(w[3]));
        case "done" -> new Done(w[1], w[2]);
        case "fail" -> new Fail(w[1], w[2], w[3], w.length > 4 ? w[4] : "?");
        default -> null;
      };
    } catch (RuntimeException e) {
      return null;
    }
  }
}
