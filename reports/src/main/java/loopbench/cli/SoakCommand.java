package loopbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import loopbench.core.EventLoops;
import loopbench.core.io.AtomicFile;
import loopbench.report.SoakChart;

/**
 * {@code loopbench soak [--minutes N] [--runtime R|all] [--out DIR] [--rate R] [--sample-seconds S]}:
 * the soak test (issue #9), not part of CI. Starts one JVM per runtime ({@code
 * loopbench.bench.soak.Soak} from benchmarks/target/benchmarks.jar), all at once, so the runtimes
 * share the same wall time (10 minutes for all three, not 30) and each heap figure is one
 * runtime's. Each child churns its loop, samples the live heap and its threads, judges them and
 * writes {@code soak-RUNTIME.json/.csv}; this command relays their output prefixed with the
 * runtime, then merges their files into {@code soak.json} (settings, JDK, machine, every runtime's
 * verdict and samples), {@code soak.csv} and the chart {@code soak-heap.png} (and .svg), each
 * written atomically, and prints one line per runtime.
 *
 * <p>Every child is waited for (or killed after twice the planned time plus two minutes, or on
 * Ctrl-C), and the threads relaying its output end with it. Exit status: 0 every runtime flat;
 * 1 a runtime not flat (the reasons are printed) or a child failed; 2 bad usage or no benchmarks.jar.
 */
public final class SoakCommand {
  static final String USAGE = String.join("\n",
      "usage: loopbench soak [--minutes N] [--runtime loop|loom|threadpool|all] [--out DIR] [--rate R] [--sample-seconds S]",
      "  --minutes N         how long each runtime churns (default 10; the runtimes run side by side, one JVM each)",
      "  --runtime R         " + String.join(", ", EventLoops.names()) + ", a comma list, or all (default: all)",
      "  --out DIR           the soak directory (default results/soak-<timestamp>; must not hold a soak already)",
      "  --rate R            operations per second on each runtime's loop (default 2000)",
      "  --sample-seconds S  time between samples (default 5; at least 8 samples are needed)",
      "Writes DIR/soak.json, soak.csv and soak-heap.png; exit 0 when every runtime's heap is flat and nothing leaked.",
      "environment: LOOPBENCH_SOAK_JAVA_OPTS sets the children's JVM options (default -Xmx512m)");
  static final String RUNNER = "loopbench.bench.soak.Soak";
  static final int MIN_SAMPLES = 8; // loopbench.bench.soak.HeapTrend.MIN_SAMPLES: checked here too, to fail before starting three JVMs
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  record Settings(List<String> runtimes, double minutes, double rate, double sampleSeconds, Path out) {}

  private SoakCommand() {}

  /** args are the words after "soak". */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Settings s;
    try {
      s = parse(args);
    } catch (IllegalArgumentException e) {
      err.println("soak: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    if (s == null) {
      out.println(USAGE);
      return 0;
    }
    Path home = Path.of(System.getProperty("loopbench.home", ".")).toAbsolutePath().normalize();
    Path jar = home.resolve("benchmarks/target/benchmarks.jar");
    if (!Files.isRegularFile(jar)) {
      err.println("soak: " + jar + " is missing; build it with: ./mvnw -DskipTests package");
      return 2;
    }
    Path dir = s.out() != null ? s.out().toAbsolutePath().normalize()
        : home.resolve("results").resolve("soak-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    if (Files.exists(dir.resolve("soak.json"))) {
      err.println("soak: " + dir + " already holds a soak (soak.json); choose another --out");
      return 2;
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      err.println("soak: cannot create " + dir + ": " + e.getMessage());
      return 2;
    }
    return execute(s, dir, jar, home, out, err);
  }

  /** The settings, or null for --help. */
  static Settings parse(String[] args) {
    List<String> runtimes = BenchCommand.RUNTIMES;
    double minutes = 10;
    double rate = 2000;
    double sampleSeconds = 5;
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        return null;
      }
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      if (!List.of("--minutes", "--runtime", "--out", "--rate", "--sample-seconds").contains(name)) {
        throw new IllegalArgumentException("unknown option '" + a + "'");
      }
      String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : (i + 1 < args.length ? args[++i] : null);
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      switch (name) {
        case "--runtime" -> runtimes = BenchCommand.pick(value, BenchCommand.RUNTIMES, "runtime");
        case "--out" -> out = Path.of(value);
        case "--minutes" -> minutes = number(name, value, 1e-3, 24 * 60, "minutes (fractions allowed)");
        case "--rate" -> rate = number(name, value, 1, 100_000, "operations per second");
        default -> sampleSeconds = number(name, value, 0.05, 600, "seconds");
      }
    }
    long samples = (long) Math.floor(minutes * 60 / sampleSeconds + 1e-9);
    if (samples < MIN_SAMPLES) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "--minutes %s with --sample-seconds %s gives %d samples; the verdict needs at least %d: run longer or sample more often",
          BenchCommand.num(minutes), BenchCommand.num(sampleSeconds), samples, MIN_SAMPLES));
    }
    return new Settings(runtimes, minutes, rate, sampleSeconds, out);
  }

  private static double number(String name, String value, double min, double max, String unit) {
    double d;
    try {
      d = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " needs a number, got '" + value + "'");
    }
    if (!(d >= min) || d > max) {
      throw new IllegalArgumentException(name + " must be in [" + BenchCommand.num(min) + ", " + BenchCommand.num(max)
          + "] " + unit + ", got " + value);
    }
    return d;
  }

  private static int execute(Settings s, Path dir, Path jar, Path home, PrintStream out, PrintStream err) {
    Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    long t0 = System.nanoTime();
    List<String> jvm = jvmOptions();
    out.printf(Locale.ROOT, "soak: %s side by side for %s min at %s operations/s each, a sample every %s s; into %s%n",
        String.join(", ", s.runtimes()), BenchCommand.num(s.minutes()), BenchCommand.num(s.rate()),
        BenchCommand.num(s.sampleSeconds()), dir);
    List<Process> children = new ArrayList<>();
    List<Thread> relays = new ArrayList<>();
    Map<String, Integer> exits = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    // Ctrl-C: the children must not outlive this command.
    Thread onSignal = new Thread(() -> {
      synchronized (children) {
        children.forEach(Process::destroyForcibly);
      }
    }, "loopbench-soak-kill-children");
    Runtime.getRuntime().addShutdownHook(onSignal);
    try {
      for (String r : s.runtimes()) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-Dloopbench.home=" + home, "-cp", jar.toString(), RUNNER, "--runtime", r,
            "--minutes", BenchCommand.num(s.minutes()), "--rate", BenchCommand.num(s.rate()),
            "--sample-seconds", BenchCommand.num(s.sampleSeconds()), "--out", dir.toString()));
        Process p;
        try {
          p = new ProcessBuilder(cmd).directory(home.toFile()).start();
        } catch (IOException e) {
          failures.add(r + ": cannot start the JVM: " + e.getMessage());
          continue;
        }
        p.getOutputStream().close();
        synchronized (children) {
          children.add(p);
        }
        relays.add(relay(p.getInputStream(), "[" + r + "] ", out));
        relays.add(relay(p.getErrorStream(), "[" + r + "] ", err));
        exits.put(r, -1);
      }
      long budgetMillis = (long) (s.minutes() * 60_000 * 2) + 120_000;
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(budgetMillis);
      int k = 0;
      for (String r : List.copyOf(exits.keySet())) {
        Process p = children.get(k++);
        if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          p.destroyForcibly();
          failures.add(r + ": still running " + budgetMillis / 1000 + " s after the start (planned "
              + BenchCommand.duration(s.minutes() * 60) + "); killed");
          p.waitFor();
        }
        exits.put(r, p.exitValue());
      }
      for (Thread t : relays) {
        t.join();
      }
    } catch (IOException e) {
      failures.add("starting the children: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failures.add("interrupted");
    } finally {
      synchronized (children) {
        children.forEach(Process::destroyForcibly);
      }
      try {
        Runtime.getRuntime().removeShutdownHook(onSignal);
      } catch (IllegalStateException e) {
        // shutting down: the hook runs anyway
      }
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    try {
      return merge(s, dir, exits, failures, started, wall, jvm, home, out, err);
    } catch (IOException e) {
      err.println("soak: writing the merged files in " + dir + " failed: " + e.getMessage());
      return 1;
    }
  }

  /** Copies a child's stream line by line, prefixed; the thread ends when the child closes the stream. */
  private static Thread relay(InputStream in, String prefix, PrintStream to) {
    return Thread.ofPlatform().daemon().name("loopbench-soak-relay").start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          to.println(prefix + line);
        }
      } catch (IOException e) {
        // the child is gone
      }
    });
  }

  private static List<String> jvmOptions() {
    String opts = System.getenv("LOOPBENCH_SOAK_JAVA_OPTS");
    return opts != null && !opts.isBlank() ? Arrays.asList(opts.trim().split("\\s+")) : List.of("-Xmx512m");
  }

  /** soak.json, soak.csv and the chart from the children's files; the summary; the exit status. */
  static int merge(Settings s, Path dir, Map<String, Integer> exits, List<String> failures, Instant started, double wall,
      List<String> jvm, Path home, PrintStream out, PrintStream err) throws IOException {
    ObjectNode doc = JsonNodeFactory.instance.objectNode();
    doc.put("schema", 1);
    doc.put("started", started.toString());
    doc.put("finished", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    doc.put("wallSeconds", Math.round(wall * 10) / 10.0);
    ObjectNode settings = doc.putObject("settings");
    settings.put("minutes", s.minutes());
    settings.put("rate", s.rate());
    settings.put("sampleSeconds", s.sampleSeconds());
    settings.set("runtimes", JSON.valueToTree(s.runtimes()));
    settings.set("jvmArgs", JSON.valueToTree(jvm));
    ObjectNode jdk = doc.putObject("jdk");
    jdk.put("version", System.getProperty("java.version"));
    jdk.put("vendor", System.getProperty("java.vendor"));
    jdk.put("vm", System.getProperty("java.vm.name"));
    ObjectNode machine = doc.putObject("machine");
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    machine.put("cpu", BenchCommand.cpuModel());
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    String commit = BenchCommand.command(home, "git", "rev-parse", "HEAD");
    if (commit != null) {
      doc.putObject("git").put("commit", commit);
    }
    ObjectNode runtimes = doc.putObject("runtimes");
    List<String> problems = new ArrayList<>(failures);
    List<SoakChart.Series> series = new ArrayList<>();
    StringBuilder csv = new StringBuilder();
    List<String> table = new ArrayList<>();
    for (String r : exits.keySet()) {
      Path file = dir.resolve("soak-" + r + ".json");
      JsonNode child;
      try {
        child = JSON.readTree(file.toFile());
      } catch (IOException e) {
        problems.add(r + ": no result (" + file.getFileName() + ": " + e.getMessage() + "; JVM exit status " + exits.get(r) + ")");
        continue;
      }
      runtimes.set(r, child);
      Path childCsv = dir.resolve("soak-" + r + ".csv");
      if (Files.isRegularFile(childCsv)) {
        List<String> lines = Files.readAllLines(childCsv, StandardCharsets.UTF_8);
        for (int i = csv.isEmpty() ? 0 : 1; i < lines.size(); i++) {
          csv.append(lines.get(i)).append('\n');
        }
      }
      JsonNode samples = child.path("samples");
      double[] minutes = new double[samples.size()];
      double[] heap = new double[samples.size()];
      for (int i = 0; i < samples.size(); i++) {
        minutes[i] = samples.get(i).path("seconds").asDouble() / 60;
        heap[i] = samples.get(i).path("heapAfterGcBytes").asDouble();
      }
      series.add(new SoakChart.Series(r, minutes, heap));
      boolean flat = child.path("verdict").path("flat").asBoolean(false);
      if (!flat) {
        child.path("verdict").path("reasons").forEach(x -> problems.add(r + ": " + x.asText()));
        if (child.path("verdict").path("reasons").isEmpty()) {
          problems.add(r + ": not flat");
        }
      } else if (exits.get(r) != 0) {
        problems.add(r + ": JVM exit status " + exits.get(r));
      }
      table.add(row(r, child, heap));
    }
    boolean allFlat = problems.isEmpty();
    doc.put("flat", allFlat);
    ArrayNode reasons = doc.putArray("problems");
    problems.forEach(reasons::add);
    AtomicFile.write(dir.resolve("soak.json"), JSON.writeValueAsBytes(doc));
    if (!csv.isEmpty()) {
      AtomicFile.write(dir.resolve("soak.csv"), csv.toString());
    }
    if (!series.isEmpty()) {
      SoakChart.write(series, String.format(Locale.ROOT, "Soak: heap after GC, %s min at %s ops/s per runtime",
          BenchCommand.num(s.minutes()), BenchCommand.num(s.rate())), dir);
    }
    out.println();
    out.println("runtime      heap after GC: start     mid     end (MiB)  growth Q2->Q4  slope/10min  threads base/max/after        ops  verdict");
    table.forEach(out::println);
    out.printf(Locale.ROOT, "soak: %s in %s; %s%n", allFlat ? "FLAT" : "NOT FLAT", BenchCommand.duration(wall),
        dir.resolve("soak.json") + ", soak.csv, soak-heap.png");
    for (String p : problems) {
      err.println("soak: " + p);
    }
    return allFlat ? 0 : 1;
  }

  private static String row(String runtime, JsonNode child, double[] heap) {
    JsonNode h = child.path("verdict").path("heap");
    JsonNode t = child.path("threads");
    double mib = 1024.0 * 1024.0;
    String start = heap.length > 0 ? String.format(Locale.ROOT, "%.2f", heap[0] / mib) : "-";
    String mid = heap.length > 0 ? String.format(Locale.ROOT, "%.2f", heap[heap.length / 2] / mib) : "-";
    String end = heap.length > 0 ? String.format(Locale.ROOT, "%.2f", heap[heap.length - 1] / mib) : "-";
    return String.format(Locale.ROOT, "%-12s %24s %7s %7s  %+10.3f MiB  %+7.3f MiB  %8d/%d/%d  %12s  %s", runtime, start, mid, end,
        h.path("growthBytes").asDouble() / mib, h.path("projectedBytesPer10Minutes").asDouble() / mib,
        t.path("baseline").asInt(), t.path("maxDuringRun").asInt(), t.path("afterClose").asInt(),
        String.format(Locale.ROOT, "%,d", child.path("ops").path("completed").asLong()),
        child.path("verdict").path("flat").asBoolean(false) ? "flat" : "NOT FLAT");
  }
}
