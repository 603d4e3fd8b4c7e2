package loopbench.conformance.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import loopbench.conformance.Op;

/**
 * Real Node as the reference: runs {@code node-oracle.mjs} (the project's verbatim copy, a class
 * path resource) on batches of scenarios and keeps what Node does reproducibly.
 *
 * <p>Each scenario runs {@code runs} times (default 3) in fresh Node processes; a scenario whose
 * runs differ is unstable. A scenario that uses timers, immediates, io or cpu also runs once under
 * {@code --perturb 10} (10 ms busy-wait at the start and end of main and at the start of every
 * macrotask callback, and every io completing 10 ms later, still in the poll phase: how long a read
 * takes is real time, and a cold or busy JVM's can take longer than a short timer); if that changes
 * its log, its output hangs on timing, and the Java runtimes,
 * slower and on a noisy machine, could legitimately differ, so it is dropped too. Pure
 * microtask/emitter scenarios skip the perturbed run: nothing in them depends on time.
 *
 * <p>Many files go to one node invocation (the oracle takes any number), split over a few
 * invocations in parallel.
 */
public final class NodeOracle implements AutoCloseable {
    /** Node's verdict on one scenario. */
    public record Verdict(String name, List<String> log, String error, Status status) {
        public boolean usable() {
            return status == Status.STABLE;
        }
    }

    public enum Status {
        /** Same log on every run (and under perturbation, when that applies): the reference. */
        STABLE,
        /** The runs gave different logs. */
        UNSTABLE,
        /** Stable, but a perturbed run gave another log: timing-sensitive. */
        TIMING_SENSITIVE,
        /** Node failed on it, or the oracle gave no line for it. */
        ERROR
    }

    public static final int PERTURB_MS = 10;
    private static final long BATCH_TIMEOUT_MINUTES = 30;

    private final Path dir;
    private final Path script;
    private final int runs;
    private final int parallelism;
    private final ExecutorService pool;
    private int fileCounter;

    public NodeOracle() {
        this(3, 2);
    }

    public NodeOracle(int runs, int parallelism) {
        if (runs < 1 || parallelism < 1) throw new IllegalArgumentException("runs and parallelism must be >= 1");
        this.runs = runs;
        this.parallelism = parallelism;
        try {
            dir = Files.createTempDirectory("loopbench-fuzz-");
            script = dir.resolve("node-oracle.mjs");
            try (InputStream in = NodeOracle.class.getResourceAsStream("/node-oracle.mjs")) {
                if (in == null) throw new IllegalStateException("node-oracle.mjs is not on the class path");
                Files.copy(in, script);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the node oracle: " + e.getMessage(), e);
        }
        pool = Executors.newFixedThreadPool(parallelism * 2, r -> {
            Thread t = new Thread(r, "loopbench-node-oracle");
            t.setDaemon(true);
            return t;
        });
    }

    /** Whether {@code node} can be started from the PATH. */
    public static boolean nodeAvailable() {
        return nodeVersion() != null;
    }

    /** {@code node --version}, or null when node cannot be started. */
    public static String nodeVersion() {
        try {
            Process p = new ProcessBuilder("node", "--version")
                    .redirectErrorStream(true)
                    .start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? v : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Whether the perturbed run applies: the scenario uses something whose order can hang on time. */
    public static boolean timed(JsonNode node) {
        return uses(
                node,
                op -> Op.StartsTimer.class.isAssignableFrom(op)
                        || Op.TimersPromise.class.isAssignableFrom(op)
                        || op == Op.Io.class
                        || op == Op.Cpu.class);
    }

    /** Whether {@code node} (an op, a block, a scenario) holds, at any depth, an op of a kind {@code which} accepts. */
    public static boolean uses(JsonNode node, java.util.function.Predicate<Class<? extends Op>> which) {
        if (node.isObject()) {
            Class<? extends Op> op = Op.BY_NAME.get(node.path("op").asText());
            if (op != null && which.test(op)) return true;
        }
        for (JsonNode c : node) if (uses(c, which)) return true;
        return false;
    }

    /** Node's verdict on each scenario, by name (names must be distinct within a call). */
    public Map<String, Verdict> check(List<? extends JsonNode> scenarios) {
        return check(scenarios, runs);
    }

    public Map<String, Verdict> check(List<? extends JsonNode> scenarios, int runCount) {
        Map<String, Path> files = new LinkedHashMap<>();
        Map<String, JsonNode> byName = new HashMap<>();
        try {
            for (JsonNode sc : scenarios) {
                String name = sc.get("name").textValue();
                if (files.containsKey(name)) throw new IllegalArgumentException("two scenarios named " + name);
                Path f = dir.resolve("s" + (++fileCounter) + ".json");
                Files.writeString(f, sc.toString());
                files.put(name, f);
                byName.put(name, sc);
            }
            Map<String, JsonNode> plain = runAll(new ArrayList<>(files.values()), runCount, 0);
            Map<String, Verdict> verdicts = new LinkedHashMap<>();
            List<Path> toPerturb = new ArrayList<>();
            for (Map.Entry<String, Path> e : files.entrySet()) {
                String name = e.getKey();
                JsonNode line = plain.get(name);
                Verdict v = verdictOf(name, line, runCount);
                verdicts.put(name, v);
                if (v.usable() && timed(byName.get(name).get("main"))) toPerturb.add(e.getValue());
            }
            if (!toPerturb.isEmpty()) {
                Map<String, JsonNode> perturbed = runAll(toPerturb, 1, PERTURB_MS);
                for (Map.Entry<String, Path> e : files.entrySet()) {
                    if (!toPerturb.contains(e.getValue())) continue;
                    Verdict v = verdicts.get(e.getKey());
                    JsonNode line = perturbed.get(e.getKey());
                    List<String> plog = line == null ? null : logOf(line);
                    if (plog == null || !plog.equals(v.log())) {
                        verdicts.put(e.getKey(), new Verdict(v.name(), v.log(), null, Status.TIMING_SENSITIVE));
                    }
                }
            }
            return verdicts;
        } catch (IOException e) {
            throw new UncheckedIOException("node oracle: " + e.getMessage(), e);
        } finally {
            for (Path f : files.values()) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // a temp file
                }
            }
        }
    }

    private static Verdict verdictOf(String name, JsonNode line, int runCount) {
        if (line == null) return new Verdict(name, null, "the oracle printed no line for it", Status.ERROR);
        if (line.has("error")) return new Verdict(name, null, line.get("error").asText(), Status.ERROR);
        List<String> log = logOf(line);
        if (log == null) return new Verdict(name, null, "the oracle's line has no log: " + line, Status.ERROR);
        if (runCount > 1 && !line.path("stable").asBoolean(false)) return new Verdict(name, log, null, Status.UNSTABLE);
        return new Verdict(name, log, null, Status.STABLE);
    }

    private static List<String> logOf(JsonNode line) {
        JsonNode log = line.get("log");
        if (log == null || !log.isArray()) return null;
        List<String> out = new ArrayList<>();
        for (JsonNode l : log) out.add(l.asText());
        return out;
    }

    /** The oracle's line for each file, by scenario name; files are shared over parallel node processes. */
    private Map<String, JsonNode> runAll(List<Path> files, int runCount, int perturb) throws IOException {
        int n = Math.min(parallelism, files.size());
        List<List<Path>> chunks = new ArrayList<>();
        for (int i = 0; i < n; i++) chunks.add(new ArrayList<>());
        for (int i = 0; i < files.size(); i++) chunks.get(i % n).add(files.get(i));
        List<Future<Map<String, JsonNode>>> futures = new ArrayList<>();
        for (List<Path> chunk : chunks) futures.add(pool.submit(() -> runNode(chunk, runCount, perturb)));
        Map<String, JsonNode> out = new HashMap<>();
        for (Future<Map<String, JsonNode>> f : futures) {
            try {
                out.putAll(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            } catch (ExecutionException e) {
                throw new IOException(e.getCause().getMessage(), e.getCause());
            }
        }
        return out;
    }

    private Map<String, JsonNode> runNode(List<Path> files, int runCount, int perturb)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("node", script.toString(), "--runs", String.valueOf(runCount)));
        if (perturb > 0) cmd.addAll(List.of("--perturb", String.valueOf(perturb)));
        for (Path f : files) cmd.add(f.toString());
        Process p = new ProcessBuilder(cmd).start();
        Future<String> stderr =
                pool.submit(() -> new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        Map<String, JsonNode> out = new HashMap<>();
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isBlank()) continue;
                JsonNode node = ScenarioGenerator.JSON.readTree(line);
                if (node.has("name")) out.put(node.get("name").asText(), node);
            }
        }
        if (!p.waitFor(BATCH_TIMEOUT_MINUTES, TimeUnit.MINUTES)) p.destroyForcibly();
        if (p.exitValue() != 0 && out.size() < files.size() && files.size() > 1) {
            // the oracle stopped part-way (a scenario it cannot compile): run the rest one by one
            for (Path f : files) {
                JsonNode sc = ScenarioGenerator.JSON.readTree(f.toFile());
                if (!out.containsKey(sc.get("name").asText())) out.putAll(runNode(List.of(f), runCount, perturb));
            }
        }
        try {
            stderr.get(1, TimeUnit.MINUTES);
        } catch (ExecutionException | java.util.concurrent.TimeoutException ignored) {
            // stderr is only for diagnosis
        }
        return out;
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir
        }
    }
}
