package loopbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import loopbench.core.io.AtomicFile;
import loopbench.core.EventLoops;

/**
 * A run directory's assembled files (reports/RESULTS-FORMAT.md): results.json and jfr-summary.json
 * from the finished points under {@code points/}, and run.json from what the run knows. Each file
 * is written atomically, so a reader never sees half of one.
 */
final class RunAssembly {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RunAssembly() {}

  /** What run.json records about one run. {@code finished} is null while it runs. */
  record RunInfo(String profile, Instant started, Instant finished, List<String> failures, List<String> loads,
      List<String> runtimes, List<Double> fractions, double seconds, double warmup, String layout, boolean jfr,
      JsonNode backend, List<String> jvmArgs, boolean capacityReused, Map<String, Map<String, Double>> capacity,
      JsonNode harness) {}

  /** results.json and jfr-summary.json from the finished points; a point file that does not parse is left out. */
  static void assemble(Path dir, PrintStream err) throws IOException {
    Path points = dir.resolve("points");
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(points)) {
      try (Stream<Path> s = Files.list(points)) {
        files = s.filter(f -> !f.getFileName().toString().startsWith(".")).sorted(Comparator.comparing(RunAssembly::order)).toList();
      }
    }
    ArrayNode results = JsonNodeFactory.instance.arrayNode();
    ObjectNode jfrPoints = JsonNodeFactory.instance.objectNode();
    for (Path f : files) {
      String name = f.getFileName().toString();
      try {
        if (name.endsWith(".result.json")) {
          JsonNode n = JSON.readTree(f.toFile());
          if (n.isObject() && n.has("benchmark") && n.has("primaryMetric")) {
            results.add(n);
          } else {
            err.println("bench: " + dir.relativize(f) + " is not a JMH result; left out");
          }
        } else if (name.endsWith(".jfr.json")) {
          jfrPoints.set(name.substring(0, name.length() - ".jfr.json".length()), JSON.readTree(f.toFile()));
        }
      } catch (IOException e) {
        err.println("bench: " + dir.relativize(f) + " does not parse (" + e.getMessage() + "); left out");
      }
    }
    AtomicFile.write(dir.resolve("results.json"), JSON.writeValueAsBytes(results));
    if (!jfrPoints.isEmpty()) {
      ObjectNode summary = JsonNodeFactory.instance.objectNode();
      summary.put("schema", 1);
      summary.set("totals", jfrTotals(jfrPoints));
      summary.set("points", jfrPoints);
      AtomicFile.write(dir.resolve("jfr-summary.json"), JSON.writeValueAsBytes(summary));
    }
  }

  private static ObjectNode jfrTotals(ObjectNode points) {
    ObjectNode t = JsonNodeFactory.instance.objectNode();
    long pinned = 0;
    long submitFailed = 0;
    long gcs = 0;
    double gcPause = 0;
    Map<String, Long> lb = new TreeMap<>();
    for (JsonNode p : points) {
      pinned += p.path("virtualThreadPinned").asLong();
      submitFailed += p.path("virtualThreadSubmitFailed").asLong();
      gcs += p.path("gcCount").asLong();
      gcPause += p.path("gcPauseMs").asDouble();
      p.path("loopbenchEvents").fields().forEachRemaining(e -> lb.merge(e.getKey(), e.getValue().asLong(), Long::sum));
    }
    t.put("virtualThreadPinned", pinned);
    t.put("virtualThreadSubmitFailed", submitFailed);
    t.put("gcCount", gcs);
    t.put("gcPauseMs", Math.round(gcPause * 1000) / 1000.0);
    ObjectNode events = t.putObject("loopbenchEvents");
    lb.forEach(events::put);
    return t;
  }

  /** Sort key for points/{@code <load>_<runtime>_<rate>}.*.json: the report's load and runtime order, then rate. */
  static String order(Path f) {
    String name = f.getFileName().toString();
    String stem = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
    String[] p = stem.split("_");
    if (p.length != 3) {
      return "~" + name;
    }
    int l = BenchOptions.LOADS.indexOf(p[0]);
    int r = EventLoops.names().indexOf(p[1]);
    long rate;
    try {
      rate = Long.parseLong(p[2]);
    } catch (NumberFormatException e) {
      rate = Long.MAX_VALUE;
    }
    return String.format(Locale.ROOT, "%02d|%s|%02d|%s|%019d|%s", l < 0 ? 99 : l, p[0], r < 0 ? 99 : r, p[1], rate, name);
  }

  /** run.json: the run's settings, the machine, the checkout, and whether it is complete. */
  static void writeRunInfo(Path dir, Path home, RunInfo info) throws IOException {
    ObjectNode r = JsonNodeFactory.instance.objectNode();
    r.put("schema", 1);
    r.put("profile", info.profile());
    r.put("started", info.started().toString());
    boolean partial = !info.failures().isEmpty();
    if (info.finished() != null) {
      r.put("finished", info.finished().truncatedTo(ChronoUnit.SECONDS).toString());
    } else {
      r.putNull("finished");
    }
    r.put("partial", partial);
    if (partial) {
      r.put("partialReason", String.join("; ", info.failures()));
    } else {
      r.putNull("partialReason");
    }
    ObjectNode jdk = r.putObject("jdk");
    jdk.put("version", System.getProperty("java.version"));
    jdk.put("vendor", System.getProperty("java.vendor"));
    jdk.put("vm", System.getProperty("java.vm.name"));
    ObjectNode os = r.putObject("os");
    os.put("name", System.getProperty("os.name"));
    os.put("arch", System.getProperty("os.arch"));
    ObjectNode cpu = r.putObject("cpu");
    cpu.put("model", Machine.cpuModel());
    cpu.put("cores", Runtime.getRuntime().availableProcessors());
    String commit = Machine.firstLine(home, "git", "rev-parse", "HEAD");
    if (commit != null) {
      ObjectNode git = r.putObject("git");
      git.put("commit", commit);
      String status = Machine.firstLine(home, "git", "status", "--porcelain", "--untracked-files=no");
      if (status != null) {
        git.put("dirty", !status.isBlank());
      } else {
        git.putNull("dirty");
      }
    } else {
      r.putNull("git");
    }
    ObjectNode o = r.putObject("options");
    o.put("profile", info.profile());
    o.set("loads", JSON.valueToTree(info.loads()));
    o.set("runtimes", JSON.valueToTree(info.runtimes()));
    o.set("fractions", JSON.valueToTree(info.fractions()));
    o.put("seconds", info.seconds());
    o.put("warmupSeconds", info.warmup());
    o.put("layout", info.layout());
    o.put("arrival", "poisson");
    o.put("seed", 42);
    o.put("inFlightLimit", 10_000);
    o.put("jfr", info.jfr());
    o.set("backend", info.backend());
    o.set("jvmArgs", JSON.valueToTree(info.jvmArgs()));
    if (info.capacityReused()) {
      o.put("capacityFrom", "reused");
    }
    String nodeVersion = Machine.firstLine(home, "node", "--version");
    if (nodeVersion != null && nodeVersion.startsWith("v")) {
      r.putObject("node").put("version", nodeVersion);
    } else {
      r.putNull("node");
    }
    r.set("capacity", JSON.valueToTree(info.capacity()));
    if (info.harness() != null) {
      r.set("harness", info.harness());
    }
    AtomicFile.write(dir.resolve("run.json"), JSON.writeValueAsBytes(r));
  }
}
