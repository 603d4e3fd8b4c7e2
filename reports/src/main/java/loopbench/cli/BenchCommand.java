package loopbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import loopbench.core.io.AtomicFile;
import loopbench.report.ReportCommand;
import loopbench.bench.load.Loads;
import loopbench.core.EventLoopProvider;
import loopbench.core.EventLoops;

/**
 * {@code loopbench bench [--quick|--full] [--out DIR] [--runtime R] [--load L] ...}: runs the
 * open-loop load harness into a run directory (reports/RESULTS-FORMAT.md), then writes the report.
 *
 * <p>One JVM is forked per load and runtime ({@code loopbench.bench.load.LoadRunner} from
 * benchmarks/target/benchmarks.jar, with the current java), so runtimes never share a heap, a JIT
 * profile or leftover threads. Each fork estimates its runtime's capacity for the load (a short
 * closed loop), warms up, and runs one open-loop point per load fraction; every finished point is
 * a file under RUN_DIR/points, and results.json / jfr-summary.json are re-assembled from them
 * (atomically) after each fork. A failed or timed-out fork, or an interrupt, leaves the other
 * results intact and marks run.json partial with the reason. At the end a last fork measures the
 * harness's own cost at the highest rate used (RUN_DIR/harness.json), and the report is generated.
 *
 * <p>Backend calls ({@code --backend}, default tcp): with {@code tcp} the run starts one
 * {@code loopbench.bench.backend.DelayBackend} in a JVM of its own (loopback, ephemeral port,
 * {@code --backend-threads} selector threads) before the first fork and stops it after the last, and
 * every fork's loops connect to it; its CPU time and GC stay out of the measured JVM's figures, as a
 * real backend's would. {@code HOST:PORT} uses a delay backend that already runs; {@code simulated}
 * makes each call a timer. The mode and the backend's address, threads and connections are in
 * run.json ({@code options.backend}); each point's {@code params.backend} says what it used
 * ({@code none} for a load without backend calls).
 *
 * <p>Exit status: 0 complete; 1 partial (a point failed, a fork died or timed out); 2 bad usage or
 * no benchmarks.jar.
 */
public final class BenchCommand {
  static final String USAGE = String.join("\n",
      "usage: loopbench bench [--quick|--full] [--out DIR] [--runtime R[,R...]] [--load L[,L...]] [options]",
      "  --quick            3 loads x 3 runtimes at 0.5 and 0.9 of capacity, 5 s each (default; about 4 minutes)",
      "  --full             at 0.25, 0.5, 0.75, 0.9 and 1.1 of capacity, 20 s each (about 20 minutes)",
      "  --out DIR          the run directory (default: results/run-<timestamp>; must not hold a run already)",
      "  --runtime R        " + String.join(", ", EventLoops.names()) + ", or a comma list (default: all)",
      "  --load L           " + String.join(", ", Loads.names()) + ", or a comma list (default: all)",
      "  --seconds S        length of each point (overrides the profile)",
      "  --fractions F,...  offered load as fractions of the estimated capacity (overrides the profile)",
      "  --layout L         per-core (default: one loop per core), single, or per-request ("
          + String.join(", ", EventLoops.names(EventLoopProvider::supportsLoopPerRequest)) + ")",
      "  --capacity-from D  reuse the capacities of an earlier run directory D (same rates: comparable runs)",
      "  --no-jfr           no flight recordings",
      "  --no-report        do not generate the report at the end",
      "  --no-micro         skip the micro suite (quick: the Node-comparable operations, short JMH settings)",
      "  --backend B        where backend calls go (" + String.join(", ", Loads.namesWithBackendCalls()) + "): tcp (default: frames over loopback TCP to a",
      "                     delay backend this run starts in a JVM of its own), HOST:PORT (a delay backend already",
      "                     running there), or simulated (a timer per call, no I/O)",
      "  --backend-threads N     selector threads of the delay backend the run starts (default 1)",
      "  --backend-connections N TCP connections each loop opens at start and pipelines its calls over (default 4)",
      "environment: LOOPBENCH_BENCH_JAVA_OPTS adds JVM options to the forked JVMs (default -Xms1g -Xmx1g -XX:+AlwaysPreTouch)");

  static final List<String> LOADS = Loads.names();
  /** The loads that make backend calls (the others need no backend). */
  static final List<String> LOADS_WITH_BACKEND_CALLS = Loads.namesWithBackendCalls();
  static final String DEFAULT_BACKEND = "tcp";
  static final List<String> RUNTIMES = EventLoops.names();
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String RUNNER = "loopbench.bench.load.LoadRunner";
  /** DelayBackend's first line: "delay-backend listening on 127.0.0.1:PORT with N selector threads". */
  private static final java.util.regex.Pattern BACKEND_LISTENING = java.util.regex.Pattern.compile("listening on (\\S+:\\d+)");

  /** A profile: point length, fractions, warm-up, capacity-search step, drain limit; all in seconds. */
  record Profile(String name, double seconds, List<Double> fractions, double warmup, double estimateStep, double drain) {}

  static final Profile QUICK = new Profile("quick", 5, List.of(0.5, 0.9), 1.5, 0.25, 2);
  static final Profile FULL = new Profile("full", 20, List.of(0.25, 0.5, 0.75, 0.9, 1.1), 5, 0.5, 10);

  /** One forked JVM: one load on one runtime, every fraction. */
  record Fork(String load, String runtime) {
    String name() {
      return load + "/" + runtime;
    }
  }

  private BenchCommand() {}

  /** args are the words after "bench". */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Profile profile = QUICK;
    Path outDir = null;
    List<String> loads = LOADS;
    List<String> runtimes = RUNTIMES;
    Double seconds = null;
    List<Double> fractions = null;
    String layout = "per-core";
    Path capacityFrom = null;
    boolean jfr = true;
    boolean report = true;
    boolean micro = true;
    String backendArg = null;
    int backendThreads = 1;
    int backendConnections = 4;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      boolean takesValue = switch (name) {
        case "--out", "--runtime", "--load", "--seconds", "--fractions", "--layout", "--capacity-from", "--backend",
            "--backend-threads", "--backend-connections" -> true;
        default -> false;
      };
      String value = null;
      if (takesValue) {
        value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : (i + 1 < args.length ? args[++i] : null);
        if (value == null || value.isBlank()) {
          return usage(err, name + " needs a value");
        }
      }
      try {
        switch (name) {
          case "-h", "--help" -> {
            out.println(USAGE);
            return 0;
          }
          case "--quick" -> profile = QUICK;
          case "--full" -> profile = FULL;
          case "--out" -> outDir = Path.of(value);
          case "--runtime" -> runtimes = pick(value, RUNTIMES, "runtime");
          case "--load" -> loads = pick(value, LOADS, "load");
          case "--seconds" -> {
            seconds = Double.parseDouble(value);
            if (!(seconds > 0) || seconds > 3600) {
              return usage(err, "--seconds must be in (0, 3600], got " + value);
            }
          }
          case "--fractions" -> {
            fractions = new ArrayList<>();
            for (String f : value.split(",")) {
              double d = Double.parseDouble(f.trim());
              if (!(d > 0) || d > 10) {
                return usage(err, "--fractions: each must be in (0, 10], got " + f);
              }
              fractions.add(d);
            }
          }
          case "--layout" -> {
            if (!List.of("per-core", "single", "per-request").contains(value)) {
              return usage(err, "--layout must be per-core, single or per-request, got " + value);
            }
            layout = value;
          }
          case "--capacity-from" -> capacityFrom = Path.of(value);
          case "--no-jfr" -> jfr = false;
          case "--no-report" -> report = false;
          case "--no-micro" -> micro = false;
          case "--backend" -> backendArg = checkBackend(value);
          case "--backend-threads" -> {
            backendThreads = Integer.parseInt(value);
            if (backendThreads < 1 || backendThreads > 64) {
              return usage(err, "--backend-threads must be 1..64, got " + value);
            }
          }
          case "--backend-connections" -> {
            backendConnections = Integer.parseInt(value);
            if (backendConnections < 1 || backendConnections > 256) {
              return usage(err, "--backend-connections must be 1..256 (per loop), got " + value);
            }
          }
          default -> {
            return usage(err, "unknown option " + a);
          }
        }
      } catch (NumberFormatException e) {
        return usage(err, name + " needs a number, got " + value);
      } catch (IllegalArgumentException e) {
        return usage(err, e.getMessage());
      }
    }
    List<String> perRequest = EventLoops.names(EventLoopProvider::supportsLoopPerRequest);
    if (layout.equals("per-request") && !perRequest.containsAll(runtimes)) {
      List<String> leftOut = runtimes.stream().filter(r -> !perRequest.contains(r)).toList();
      if (leftOut.size() == runtimes.size()) {
        return usage(err, "--layout per-request needs " + String.join(" or ", perRequest) + ": the " + String.join(", ", leftOut)
            + " runtime would start platform threads of its own per request");
      }
      runtimes = runtimes.stream().filter(perRequest::contains).toList();
      err.println("bench: --layout per-request: leaving out " + String.join(", ", leftOut) + " (platform threads of its own per request is not a Node server)");
    }
    if (layout.equals("per-request") && backendArg != null && !backendArg.equals("simulated")) {
      return usage(err, "--layout per-request needs --backend simulated: each request's fresh loop would open TCP connections of its own");
    }
    String backendMode = backendArg != null ? backendArg : layout.equals("per-request") ? "simulated" : DEFAULT_BACKEND;
    if (backendArg == null && layout.equals("per-request")) {
      err.println("bench: --layout per-request: backend calls are simulated (a fresh loop per request would open connections per request)");
    }
    if (loads.stream().noneMatch(LOADS_WITH_BACKEND_CALLS::contains)) {
      backendMode = "simulated"; // nothing would call it: start no backend
    }
    Backend backend = new Backend(backendMode, backendThreads, backendConnections);
    Profile p = new Profile(profile.name(), seconds != null ? seconds : profile.seconds(),
        fractions != null ? List.copyOf(fractions) : profile.fractions(), profile.warmup(), profile.estimateStep(),
        seconds != null ? Math.min(10, Math.max(2, seconds)) : profile.drain());

    Path home = Path.of(System.getProperty("loopbench.home", ".")).toAbsolutePath().normalize();
    Path jar = home.resolve("benchmarks/target/benchmarks.jar");
    if (!Files.isRegularFile(jar)) {
      err.println("bench: " + jar + " is missing; build it with: ./mvnw -DskipTests package");
      return 2;
    }
    Map<String, Map<String, Double>> reuse = new LinkedHashMap<>();
    if (capacityFrom != null) {
      try {
        JsonNode cap = JSON.readTree(capacityFrom.resolve("run.json").toFile()).path("capacity");
        cap.fields().forEachRemaining(l -> l.getValue().fields().forEachRemaining(
            r -> reuse.computeIfAbsent(l.getKey(), k -> new LinkedHashMap<>()).put(r.getKey(), r.getValue().asDouble())));
      } catch (IOException e) {
        err.println("bench: --capacity-from: cannot read " + capacityFrom.resolve("run.json") + ": " + e.getMessage());
        return 2;
      }
      if (reuse.isEmpty()) {
        err.println("bench: --capacity-from: " + capacityFrom.resolve("run.json") + " holds no capacities");
        return 2;
      }
    }
    Path runDir = outDir != null ? outDir.toAbsolutePath().normalize()
        : home.resolve("results").resolve("run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    if (Files.exists(runDir.resolve("run.json")) || Files.exists(runDir.resolve("results.json"))) {
      err.println("bench: " + runDir + " already holds a run; choose another --out");
      return 2;
    }
    try {
      Files.createDirectories(runDir);
    } catch (IOException e) {
      err.println("bench: cannot create " + runDir + ": " + e);
      return 2;
    }
    Run run = new Run(p, runDir, jar, home, loads, runtimes, layout, jfr, reuse, backend, out, err);
    int status = run.execute();
    if (micro) status = Math.max(status, runMicro(p, runDir, out, err));
    if (report) {
      out.println();
      int r = ReportCommand.run(new String[] {runDir.toString()}, out, err);
      if (r != 0 && status == 0) {
        status = 1;
      }
    } else {
      out.println("Run directory: " + runDir + " (report: ./loopbench report " + runDir + ")");
    }
    return status;
  }

  static List<String> pick(String value, List<String> known, String what) {
    if (value.equals("all")) {
      return known;
    }
    List<String> picked = new ArrayList<>();
    for (String v : value.split(",")) {
      String s = v.trim();
      if (!known.contains(s)) {
        throw new IllegalArgumentException("unknown " + what + " '" + s + "': use " + String.join(", ", known) + " or all");
      }
      if (!picked.contains(s)) {
        picked.add(s);
      }
    }
    // keep the report's order whatever order they were given in
    return known.stream().filter(picked::contains).toList();
  }

  /** {@code --backend}: simulated, tcp or HOST:PORT (port 1..65535); returns it, or throws saying what is allowed. */
  static String checkBackend(String value) {
    String v = value.trim();
    if (v.equals("simulated") || v.equals("tcp")) {
      return v;
    }
    int colon = v.lastIndexOf(':');
    if (colon > 0) {
      try {
        int port = Integer.parseInt(v.substring(colon + 1));
        if (port >= 1 && port <= 65_535) {
          return v;
        }
      } catch (NumberFormatException e) {
        // said below
      }
      throw new IllegalArgumentException("--backend " + value + ": the port must be a number in 1..65535");
    }
    throw new IllegalArgumentException("--backend must be tcp (a delay backend started for the run), HOST:PORT (a running "
        + "delay backend) or simulated, got '" + value + "'");
  }

  /**
   * Where backend calls go: {@code mode} is simulated, tcp (start a delay backend for the run) or
   * HOST:PORT (an external one); {@code address} is filled in once the started backend listens.
   */
  static final class Backend {
    final String mode;
    final int threads;
    final int connectionsPerLoop;
    String address;
    Process process;

    Backend(String mode, int threads, int connectionsPerLoop) {
      this.mode = mode;
      this.threads = threads;
      this.connectionsPerLoop = connectionsPerLoop;
      this.address = mode.equals("tcp") || mode.equals("simulated") ? null : mode;
    }

    boolean simulated() {
      return mode.equals("simulated");
    }

    boolean startsOwn() {
      return mode.equals("tcp");
    }

    /** The forks' --backend value. */
    String forkArgument() {
      return simulated() ? "simulated" : address;
    }

    String describe() {
      if (simulated()) {
        return "simulated (a timer per call)";
      }
      return String.format(Locale.ROOT, "TCP to the delay backend at %s (%s), %d connection%s per loop", address,
          startsOwn() ? "a JVM of its own, " + threads + " selector thread" + (threads == 1 ? "" : "s") : "external",
          connectionsPerLoop, connectionsPerLoop == 1 ? "" : "s");
    }

    ObjectNode toJson() {
      ObjectNode b = JsonNodeFactory.instance.objectNode();
      b.put("mode", simulated() ? "simulated" : "tcp");
      if (!simulated()) {
        b.put("address", address);
        b.put("startedBy", startsOwn() ? "bench (a JVM of its own)" : "external");
        if (startsOwn()) {
          b.put("threads", threads);
        } else {
          b.putNull("threads");
        }
        b.put("connectionsPerLoop", connectionsPerLoop);
      }
      b.set("loads", JSON.valueToTree(LOADS_WITH_BACKEND_CALLS));
      return b;
    }
  }

  private static int usage(PrintStream err, String problem) {
    err.println("bench: " + problem);
    err.println(USAGE);
    return 2;
  }

  /** One bench run: the forks, progress, run.json and the assembled results. */
  static final class Run {
    private final Profile profile;
    private final Path dir;
    private final Path jar;
    private final Path home;
    private final List<String> loads;
    private final List<String> runtimes;
    private final String layout;
    private final boolean jfr;
    private final Map<String, Map<String, Double>> reuse;
    private final Backend backend;
    private final PrintStream out;
    private final PrintStream err;
    private final List<Fork> forks = new ArrayList<>();
    private final int totalPoints;
    private final Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final long startNanos = System.nanoTime();
    private final Map<String, Map<String, Double>> capacity = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private final Object lock = new Object();
    private JsonNode harness;
    private double maxRate;
    private int pointsStarted;
    private int pointsDone;
    private double plannedDone;     // planned seconds of the forks finished so far
    private String current = "start-up";
    private Process child;
    private boolean finished;
    private boolean interrupted;

    Run(Profile profile, Path dir, Path jar, Path home, List<String> loads, List<String> runtimes, String layout,
        boolean jfr, Map<String, Map<String, Double>> reuse, Backend backend, PrintStream out, PrintStream err) {
      this.profile = profile;
      this.dir = dir;
      this.jar = jar;
      this.home = home;
      this.loads = loads;
      this.runtimes = runtimes;
      this.layout = layout;
      this.jfr = jfr;
      this.reuse = reuse;
      this.backend = backend;
      this.out = out;
      this.err = err;
      for (String l : loads) {
        for (String r : runtimes) {
          forks.add(new Fork(l, r));
        }
      }
      totalPoints = forks.size() * profile.fractions().size();
    }

    /** Seconds a fork should take: JVM start and heap pre-touch, capacity search, warm-up, points, flight-recording dumps. */
    double planned(Fork f) {
      boolean estimate = reuse.getOrDefault(f.load(), Map.of()).get(f.runtime()) == null;
      double perPoint = profile.seconds() + 0.6 + (jfr ? 0.8 : 0);
      return 1.5 + (estimate ? 16 * profile.estimateStep() : 0) + profile.warmup() + (jfr ? 1.5 : 0)
          + profile.fractions().size() * perPoint;
    }

    int execute() {
      double plannedTotal = forks.stream().mapToDouble(this::planned).sum() + 4;
      out.printf(Locale.ROOT, "loopbench bench (%s): %d load(s) x %d runtime(s) x %d fraction(s) %s = %d points in %d JVMs, "
              + "%s s each; about %s%n", profile.name(), loads.size(), runtimes.size(), profile.fractions().size(),
          profile.fractions(), totalPoints, forks.size(), num(profile.seconds()), duration(plannedTotal));
      out.println("Run directory: " + dir);
      Thread hook = new Thread(this::onSignal, "loopbench-bench-interrupt");
      try {
        Runtime.getRuntime().addShutdownHook(hook);
        if (backend.startsOwn()) {
          startBackend();
        }
        out.println("Backend calls (" + String.join(", ", LOADS_WITH_BACKEND_CALLS) + "): " + backend.describe());
        writeRunJson();
      } catch (IOException e) {
        err.println("bench: " + e.getMessage());
        stopBackend();
        Runtime.getRuntime().removeShutdownHook(hook);
        return 1;
      }
      try {
        for (int i = 0; i < forks.size(); i++) {
          Fork f = forks.get(i);
          synchronized (lock) {
            if (interrupted) {
              break;
            }
            current = f.name();
          }
          runFork(f, i);
          plannedDone += planned(f);
          try {
            assemble();
          } catch (IOException e) {
            err.println("bench: cannot write results.json: " + e);
          }
        }
        stopBackend(); // the forks that call it are done
        synchronized (lock) {
          if (!interrupted) {
            current = "harness self-check";
          }
        }
        if (!interrupted && maxRate > 0) {
          runHarnessCheck();
        }
      } finally {
        stopBackend();
        synchronized (lock) {
          if (!interrupted) {
            finished = true;
            try {
              assemble();
              writeRunJson();
            } catch (IOException e) {
              err.println("bench: cannot write the results: " + e);
              failures.add("cannot write the results: " + e);
            }
          }
        }
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // the JVM is shutting down: the hook is running or has run
        }
      }
      out.println();
      printSummary();
      out.printf(Locale.ROOT, "Finished in %s: %d of %d points%s%n", duration((System.nanoTime() - startNanos) / 1e9),
          pointsDone, totalPoints, failures.isEmpty() ? "" : "; PARTIAL: " + String.join("; ", failures));
      return failures.isEmpty() ? 0 : 1;
    }

    private void runFork(Fork f, int index) {
      List<String> cmd = new ArrayList<>(javaCommand());
      cmd.addAll(List.of(RUNNER, "points", "--out", dir.toString(), "--load", f.load(), "--runtime", f.runtime(),
          "--fractions", String.join(",", profile.fractions().stream().map(BenchCommand::num).toList()),
          "--seconds", num(profile.seconds()), "--warmup", num(profile.warmup()),
          "--estimate-step", num(profile.estimateStep()), "--drain", num(profile.drain()), "--layout", layout,
          "--backend", backend.forkArgument(), "--backend-connections", Integer.toString(backend.connectionsPerLoop)));
      Double reused = reuse.getOrDefault(f.load(), Map.of()).get(f.runtime());
      if (reused != null) {
        cmd.addAll(List.of("--capacity", num(reused)));
      }
      if (!jfr) {
        cmd.add("--no-jfr");
      }
      out.printf(Locale.ROOT, "%n[%s] JVM %d of %d%s%n", f.name(), index + 1, forks.size(),
          reused != null ? String.format(Locale.ROOT, " (capacity %,.0f req/s from --capacity-from)", reused) : "");
      double budget = planned(f) * 2 + 60;
      Deque<String> lastErr = new ArrayDeque<>();
      int exit;
      int pointsBefore = pointsDone;
      long t0 = System.nanoTime();
      try {
        Process proc;
        synchronized (lock) {
          if (interrupted) {
            return;
          }
          proc = new ProcessBuilder(cmd).directory(home.toFile()).start();
          child = proc;
        }
        proc.getOutputStream().close();
        Thread errPump = Thread.ofPlatform().daemon().name("loopbench-bench-stderr").start(() -> {
          try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
              err.println("    " + line);
              synchronized (lastErr) {
                lastErr.addLast(line);
                if (lastErr.size() > 20) {
                  lastErr.removeFirst();
                }
              }
            }
          } catch (IOException e) {
            // the process is gone
          }
        });
        Thread watchdog = Thread.ofPlatform().daemon().name("loopbench-bench-watchdog").start(() -> {
          try {
            if (!proc.waitFor((long) budget, TimeUnit.SECONDS)) {
              synchronized (lastErr) {
                lastErr.addLast("timed out after " + (long) budget + " s (planned " + (long) planned(f) + " s); killed");
              }
              proc.destroyForcibly();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            onLine(f, line, t0);
          }
        }
        exit = proc.waitFor();
        watchdog.interrupt();
        errPump.join(TimeUnit.SECONDS.toMillis(5));
      } catch (IOException e) {
        failures.add(f.name() + ": cannot start the JVM: " + e.getMessage());
        err.println("bench: " + f.name() + ": cannot start the JVM: " + e.getMessage());
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failures.add(f.name() + ": interrupted");
        return;
      } finally {
        synchronized (lock) {
          child = null;
        }
      }
      synchronized (lock) {
        if (interrupted) {
          return;
        }
      }
      int missing = profile.fractions().size() - (pointsDone - pointsBefore);
      if (exit != 0 || missing > 0) {
        String why;
        synchronized (lastErr) {
          why = lastErr.stream().filter(s -> !s.isBlank() && !s.startsWith("\tat ")).reduce((a, b) -> b).orElse("no message");
        }
        String reason = String.format(Locale.ROOT, "%s: %s (%d of %d points missing)",
            f.name(), exit == 0 ? "points failed" : "JVM exit status " + exit + ": " + why, missing, profile.fractions().size());
        failures.add(reason);
        err.println("bench: " + reason);
      }
      pointsStarted = (index + 1) * profile.fractions().size(); // numbering stays k of n even when points were lost
    }

    /** The fork's stdout: protocol lines (@@...) drive the progress display; the rest is shown as it is. */
    private void onLine(Fork f, String line, long forkStart) {
      if (!line.startsWith("@@")) {
        out.println(line);
        return;
      }
      String[] w = line.substring(2).trim().split(" ", 5);
      try {
        switch (w[0]) {
          case "capacity" -> {
            synchronized (lock) {
              capacity.computeIfAbsent(w[1], k -> new LinkedHashMap<>()).put(w[2], Double.parseDouble(w[3]));
            }
          }
          case "start" -> {
            pointsStarted++;
            String[] stem = w[1].split("_");
            double rate = Double.parseDouble(w[3]);
            maxRate = Math.max(maxRate, rate);
            synchronized (lock) {
              current = f.name() + " at " + w[2] + " of capacity";
            }
            out.printf(Locale.ROOT, "[%2d/%d] %-12s %-10s x%-5s %,10.0f req/s offered, %s s ...%n", pointsStarted, totalPoints,
                stem[0], stem[1], w[2], rate, num(profile.seconds()));
          }
          case "done" -> {
            pointsDone++;
            out.printf(Locale.ROOT, "        done in %s s; %s%n", w[2], eta(f, forkStart));
          }
          case "fail" -> {
            String reason = f.name() + " at " + w[3] + " of capacity failed: " + (w.length > 4 ? w[4] : "?");
            failures.add(reason);
            err.println("bench: " + reason);
          }
          default -> out.println(line);
        }
      } catch (RuntimeException e) {
        out.println(line);
      }
    }

    /** Time left: the plan for what is left, scaled by how the finished forks compared with their plan. */
    private String eta(Fork f, long forkStart) {
      double elapsed = (System.nanoTime() - startNanos) / 1e9;
      double thisFork = (System.nanoTime() - forkStart) / 1e9;
      int idx = forks.indexOf(f);
      double left = Math.max(0, planned(f) - thisFork);
      for (int i = idx + 1; i < forks.size(); i++) {
        left += planned(forks.get(i));
      }
      double scale = plannedDone > 0 ? Math.max(0.5, Math.min(3, (elapsed - thisFork) / plannedDone)) : 1;
      return "about " + duration(left * scale + 4) + " left";
    }

    private void runHarnessCheck() {
      out.printf(Locale.ROOT, "%n[harness] its own cost, and its schedule at %,.0f req/s (the highest rate used)%n", maxRate);
      List<String> cmd = new ArrayList<>(javaCommand());
      cmd.addAll(List.of(RUNNER, "harness", "--out", dir.toString(), "--rate", num(maxRate), "--seconds", "2"));
      try {
        Process proc;
        synchronized (lock) {
          if (interrupted) {
            return;
          }
          proc = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true).start();
          child = proc;
        }
        proc.getOutputStream().close();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            out.println(line);
          }
        }
        if (!proc.waitFor(60, TimeUnit.SECONDS)) {
          proc.destroyForcibly();
        }
        if (proc.exitValue() != 0) {
          err.println("bench: the harness self-check failed (exit status " + proc.exitValue() + "); results are unaffected");
        }
        Path h = dir.resolve("harness.json");
        if (Files.exists(h)) {
          harness = JSON.readTree(h.toFile());
        }
      } catch (IOException | RuntimeException e) {
        err.println("bench: the harness self-check failed: " + e.getMessage() + "; results are unaffected");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        synchronized (lock) {
          child = null;
        }
      }
    }

    /**
     * Starts the run's delay backend in a JVM of its own and waits (20 s at most) for the line that says
     * where it listens. It exits when we close its stdin (stopBackend) or when this JVM dies.
     */
    private void startBackend() throws IOException {
      String java = ProcessHandle.current().info().command().orElse("java");
      // a small heap and the serial collector: it holds little, and should take no CPU from the measured JVM
      List<String> cmd = List.of(java, "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-cp", jar.toString(),
          "loopbench.bench.backend.DelayBackend", "--port", "0", "--threads", Integer.toString(backend.threads),
          "--exit-on-stdin-eof");
      Process proc;
      synchronized (lock) {
        proc = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true).start();
        backend.process = proc;
      }
      java.util.concurrent.CompletableFuture<String> listening = new java.util.concurrent.CompletableFuture<>();
      Thread.ofPlatform().daemon().name("loopbench-bench-backend-output").start(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            java.util.regex.Matcher m = BACKEND_LISTENING.matcher(line);
            if (!listening.isDone() && m.find()) {
              listening.complete(m.group(1));
            } else {
              err.println("    backend: " + line);
            }
          }
        } catch (IOException e) {
          // the process is gone
        }
        listening.completeExceptionally(new IOException("the delay backend exited before it listened"));
      });
      try {
        backend.address = listening.get(20, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        stopBackend();
        throw new IOException("cannot start the delay backend (" + String.join(" ", cmd) + "): "
            + (e.getCause() != null ? e.getCause().getMessage() : "it did not say where it listens within 20 s"));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopBackend();
        throw new IOException("interrupted while starting the delay backend");
      }
    }

    /** Stops the run's delay backend, if it started one: closes its stdin, then waits 5 s before killing it. Idempotent. */
    private void stopBackend() {
      Process proc;
      synchronized (lock) {
        proc = backend.process;
        backend.process = null;
      }
      if (proc == null) {
        return;
      }
      try {
        proc.getOutputStream().close();
        if (!proc.waitFor(5, TimeUnit.SECONDS)) {
          proc.destroyForcibly();
          proc.waitFor(5, TimeUnit.SECONDS);
        }
      } catch (IOException e) {
        proc.destroyForcibly();
      } catch (InterruptedException e) {
        proc.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }

    private List<String> javaCommand() {
      String java = ProcessHandle.current().info().command().orElse("java");
      List<String> cmd = new ArrayList<>();
      cmd.add(java);
      String opts = System.getenv("LOOPBENCH_BENCH_JAVA_OPTS");
      if (opts != null && !opts.isBlank()) {
        cmd.addAll(Arrays.asList(opts.trim().split("\\s+")));
      } else {
        cmd.addAll(List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"));
      }
      cmd.add("-Dloopbench.home=" + home);
      cmd.addAll(List.of("-cp", jar.toString()));
      return cmd;
    }

    /** SIGINT/SIGTERM: keep what is finished, say why the run is partial, stop the fork. */
    private void onSignal() {
      synchronized (lock) {
        if (finished) {
          return;
        }
        interrupted = true;
        failures.add("interrupted during " + current);
        if (child != null) {
          child.destroyForcibly();
        }
        if (backend.process != null) {
          backend.process.destroyForcibly();
        }
        try {
          assemble();
          writeRunJson();
          err.println("\nbench: interrupted during " + current + "; the finished points are kept in " + dir
              + " (./loopbench report " + dir + ")");
        } catch (IOException | RuntimeException e) {
          err.println("\nbench: interrupted; could not write run.json: " + e);
        }
      }
    }

    /** results.json and jfr-summary.json from the finished points; a point file that does not parse is left out. */
    void assemble() throws IOException {
      Path points = dir.resolve("points");
      List<Path> files = new ArrayList<>();
      if (Files.isDirectory(points)) {
        try (Stream<Path> s = Files.list(points)) {
          files = s.filter(f -> !f.getFileName().toString().startsWith(".")).sorted(Comparator.comparing(BenchCommand::order)).toList();
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
      Map<String, Long> lb = new java.util.TreeMap<>();
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

    void writeRunJson() throws IOException {
      ObjectNode r = JsonNodeFactory.instance.objectNode();
      r.put("schema", 1);
      r.put("profile", profile.name());
      r.put("started", started.toString());
      boolean partial = !failures.isEmpty() || interrupted;
      if (finished) {
        r.put("finished", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
      } else {
        r.putNull("finished");
      }
      r.put("partial", partial);
      if (partial) {
        r.put("partialReason", String.join("; ", failures));
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
      cpu.put("model", cpuModel());
      cpu.put("cores", Runtime.getRuntime().availableProcessors());
      String commit = command(home, "git", "rev-parse", "HEAD");
      if (commit != null) {
        ObjectNode git = r.putObject("git");
        git.put("commit", commit);
        String status = command(home, "git", "status", "--porcelain", "--untracked-files=no");
        if (status != null) {
          git.put("dirty", !status.isBlank());
        } else {
          git.putNull("dirty");
        }
      } else {
        r.putNull("git");
      }
      ObjectNode o = r.putObject("options");
      o.put("profile", profile.name());
      o.set("loads", JSON.valueToTree(loads));
      o.set("runtimes", JSON.valueToTree(runtimes));
      o.set("fractions", JSON.valueToTree(profile.fractions()));
      o.put("seconds", profile.seconds());
      o.put("warmupSeconds", profile.warmup());
      o.put("layout", layout);
      o.put("arrival", "poisson");
      o.put("seed", 42);
      o.put("inFlightLimit", 10_000);
      o.put("jfr", jfr);
      o.set("backend", backend.toJson());
      o.set("jvmArgs", JSON.valueToTree(javaCommand().subList(1, javaCommand().size() - 3)));
      if (!reuse.isEmpty()) {
        o.put("capacityFrom", "reused");
      }
      String nodeVersion = command(home, "node", "--version");
      if (nodeVersion != null && nodeVersion.startsWith("v")) {
        r.putObject("node").put("version", nodeVersion);
      } else {
        r.putNull("node");
      }
      r.set("capacity", JSON.valueToTree(capacity));
      if (harness != null) {
        r.set("harness", harness);
      }
      AtomicFile.write(dir.resolve("run.json"), JSON.writeValueAsBytes(r));
    }

    private void printSummary() {
      JsonNode results;
      try {
        results = JSON.readTree(dir.resolve("results.json").toFile());
      } catch (IOException e) {
        return;
      }
      if (!results.isArray() || results.isEmpty()) {
        return;
      }
      out.println("load         runtime     frac       rate/s   achieved/s        p50        p99      p99.9   lag p99  late  errors");
      for (JsonNode n : results) {
        JsonNode params = n.path("params");
        JsonNode s = n.path("secondaryMetrics");
        out.printf(Locale.ROOT, "%-12s %-10s %5s %12s %12s %10s %10s %10s %9s %5s %7s%n", params.path("load").asText(),
            params.path("runtime").asText(), params.path("loadFraction").asText(),
            String.format(Locale.ROOT, "%,.0f", params.path("rate").asDouble()),
            String.format(Locale.ROOT, "%,.0f", n.path("primaryMetric").path("score").asDouble()),
            micros(s, "latency.p50"), micros(s, "latency.p99"), micros(s, "latency.p99.9"), micros(s, "lag.p99"),
            count(s, "lateStarts"), count(s, "errors"));
      }
    }

    private static String micros(JsonNode s, String metric) {
      JsonNode v = s.path(metric).path("score");
      if (!v.isNumber()) {
        return "-";
      }
      double us = v.asDouble();
      return us >= 10_000 ? String.format(Locale.ROOT, "%,.0f ms", us / 1000)
          : us >= 1000 ? String.format(Locale.ROOT, "%.1f ms", us / 1000) : String.format(Locale.ROOT, "%.0f us", us);
    }

    private static String count(JsonNode s, String metric) {
      JsonNode v = s.path(metric).path("score");
      return v.isNumber() ? String.format(Locale.ROOT, "%,d", v.asLong()) : "-";
    }
  }

  /** Sort key for points/{@code <load>_<runtime>_<rate>}.*.json: the report's load and runtime order, then rate. */
  static String order(Path f) {
    String name = f.getFileName().toString();
    String stem = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
    String[] p = stem.split("_");
    if (p.length != 3) {
      return "~" + name;
    }
    int l = LOADS.indexOf(p[0]);
    int r = RUNTIMES.indexOf(p[1]);
    long rate;
    try {
      rate = Long.parseLong(p[2]);
    } catch (NumberFormatException e) {
      rate = Long.MAX_VALUE;
    }
    return String.format(Locale.ROOT, "%02d|%s|%02d|%s|%019d|%s", l < 0 ? 99 : l, p[0], r < 0 ? 99 : r, p[1], rate, name);
  }

  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        String l = line.toLowerCase(Locale.ROOT);
        if (l.startsWith("model name") || l.startsWith("hardware") || l.startsWith("cpu model")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return System.getProperty("os.arch");
  }

  /** The trimmed first line a command prints, or null if it cannot run or fails (5 s at most). */
  static String command(Path dir, String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(false)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      p.getOutputStream().close();
      byte[] bytes = p.getInputStream().readAllBytes();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      if (p.exitValue() != 0) {
        return null;
      }
      String s = new String(bytes, StandardCharsets.UTF_8).trim();
      return s.isEmpty() ? "" : s.lines().findFirst().orElse("").trim();
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 60 ? (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s" : s + "s";
  }

  /**
   * The micro suite into the same run directory, so the report has its cost-per-operation chart
   * beside the latency figures: on the quick profile only the operations Node is compared on, with
   * short JMH settings (a smoke figure; `./loopbench micro` is the measurement).
   */
  private static int runMicro(Profile p, Path runDir, PrintStream out, PrintStream err) {
    out.println();
    out.println("bench: micro suite" + (p.name().equals("quick") ? " (quick: Node-comparable operations)" : ""));
    List<String> args = new ArrayList<>(List.of("--with-node", "--out", runDir.toString()));
    if (p.name().equals("quick")) {
      args.addAll(List.of("--quick", "--",
          "loopbench\\.bench\\.micro\\.(PromiseCost|JobQueueCost|ImmediateCost|TimerCost|AwaitCost|ArrayDequeFloor)\\..*",
          "-wi", "1", "-w", "500ms", "-i", "2", "-r", "500ms"));
    }
    int r = MicroCommand.run(args.toArray(String[]::new), out, err);
    if (r != 0) err.println("bench: the micro suite failed (exit " + r + "); the load results are complete");
    return r == 0 ? 0 : 1;
  }
}
