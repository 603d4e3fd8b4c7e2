package loopbench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import loopbench.bench.load.Loads;
import loopbench.core.EventLoops;
import loopbench.schema.JfrSummary;
import loopbench.schema.RunFiles;
import loopbench.schema.RunInfo;
import org.HdrHistogram.Histogram;

/**
 * One {@code ./loopbench bench} run directory (see reports/RESULTS-FORMAT.md), read leniently:
 * whatever is missing or broken is recorded in {@link #problems()} and the rest stays usable,
 * because a partial run still deserves a report.
 */
public final class ResultsDir {
    /** The registries' orders, which reports sort by. */
    public static final List<String> LOADS = Loads.names();

    public static final List<String> RUNTIMES = EventLoops.names();
    /** The micro suite's order: the runtimes, then the plain-Java baseline. */
    static final List<String> RUNTIMES_THEN_BASELINE = java.util.stream.Stream.concat(
                    RUNTIMES.stream(), java.util.stream.Stream.of(MicroSuite.BASELINE))
            .toList();

    private final Path dir;
    private final List<String> problems = new ArrayList<>();
    private RunInfo run;
    private List<LoadPoint> loadPoints = List.of();
    private List<ClimbOutcome> climbs = List.of();
    private List<JmhResult> micro = List.of();
    private NodeBaseline node;
    private JfrSummary jfrSummary;
    private List<Path> jfrFiles = List.of();
    private final Map<String, Histogram> histograms = new LinkedHashMap<>();
    private final Map<String, LagSeries> lags = new LinkedHashMap<>();

    private ResultsDir(Path dir) {
        this.dir = dir;
    }

    /** Reads the directory; only a directory that does not exist at all is an error. */
    public static ResultsDir read(Path dir) throws BadInputException {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(dir, Files.exists(dir) ? "not a directory" : "directory not found");
        }
        ResultsDir rd = new ResultsDir(dir);
        rd.load();
        return rd;
    }

    /**
     * What run.json says the run was asked to measure under {@code field} ({@code bench --load},
     * {@code --runtime}): a result it did not ask for is not missing. All of them when run.json cannot say.
     */
    private List<String> asked(String field, List<String> all) {
        JsonNode names = options().path(field);
        if (!names.isArray()) return all;
        List<String> asked = new ArrayList<>();
        names.forEach(n -> asked.add(n.asText()));
        return all.stream().filter(asked::contains).toList();
    }

    /** run.json's options, or a missing node when run.json has none. */
    private JsonNode options() {
        return run == null || run.options() == null
                ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
                : run.options();
    }

    private void load() {
        Path runJson = dir.resolve("run.json");
        try {
            run = RunFiles.read(runJson, RunInfo.class);
        } catch (RunFiles.BadFileException e) {
            problem("run.json: " + e.problem() + "; run metadata unknown");
        }

        try {
            List<JmhResult> results = JmhJson.read(dir.resolve("results.json")).stream()
                    .filter(r -> r.param("load") != null && r.param("runtime") != null)
                    .toList();
            climbs = results.stream()
                    .filter(ClimbOutcome::is)
                    .map(ClimbOutcome::of)
                    .toList();
            loadPoints = results.stream()
                    .filter(r -> !ClimbOutcome.is(r))
                    .map(LoadPoint::of)
                    .sorted(Comparator.comparing(LoadPoint::load)
                            .thenComparing(LoadPoint::runtime)
                            .thenComparingDouble(LoadPoint::rateValue))
                    .toList();
            for (String l : asked("loads", LOADS)) {
                for (String rt : asked("runtimes", RUNTIMES)) {
                    if (loadPoints.stream()
                            .noneMatch(p -> p.load().equals(l) && p.runtime().equals(rt))) {
                        problem("results.json: no results for load " + l + " on runtime " + rt);
                    }
                }
            }
            for (LoadPoint p : loadPoints) {
                if (p.result().invalidReason() != null) {
                    problem("results.json: point " + p.fileStem() + " is invalid: "
                            + p.result().invalidReason() + "; its percentiles are not measurements");
                }
            }
            checkSideFiles();
        } catch (BadInputException e) {
            problem(relative(e) + "; no load-test tables or latency charts");
        }

        Path microJson = dir.resolve("micro.json");
        NodeBaseline nodeInMicro = null;
        try {
            JsonNode tree = JmhJson.readTree(microJson);
            micro = JmhJson.read(microJson, tree).stream()
                    .filter(r -> !NodeBaseline.isNodeRecord(r))
                    .toList();
            nodeInMicro = NodeBaseline.fromMicro(tree);
        } catch (BadInputException e) {
            // bench --no-micro asked for none: nothing is missing (runs before run.json said so had micro)
            if (options().path("micro").asBoolean(true)) {
                problem(relative(e) + "; no micro-benchmark section");
            }
        }

        Path nodeJson = dir.resolve("node.json");
        if (Files.exists(nodeJson)) {
            try {
                node = NodeBaseline.read(nodeJson);
            } catch (BadInputException e) {
                problem(relative(e) + "; micro results are not compared with Node");
            }
        } else if (!micro.isEmpty()) {
            node = nodeInMicro;
            if (node == null) problem("node.json: not present (optional); micro results are not compared with Node");
        }

        try (Stream<Path> files = Files.list(dir.resolve("jfr"))) {
            jfrFiles = files.filter(f -> f.toString().endsWith(".jfr")).sorted().toList();
        } catch (IOException e) {
            jfrFiles = List.of();
        }
        Path summary = dir.resolve("jfr-summary.json");
        if (Files.exists(summary)) {
            try {
                jfrSummary = RunFiles.read(summary, JfrSummary.class);
            } catch (RunFiles.BadFileException e) {
                problem("jfr-summary.json: " + e.problem());
            }
        }
    }

    /** Says which hlog and lag files are missing, one line per kind when all of them are. */
    private void checkSideFiles() {
        record Expected(String what, List<String> missing, int total) {}
        List<String> noHlog = new ArrayList<>();
        List<String> noUncorrected = new ArrayList<>();
        List<String> noLag = new ArrayList<>();
        for (LoadPoint p : loadPoints) {
            if (hlogPath(p, true) == null) noHlog.add("hlog/" + p.fileStem() + ".hlog");
            if (hlogPath(p, false) == null) noUncorrected.add("hlog/" + p.fileStem() + ".uncorrected.hlog");
            if (lagPath(p) == null) noLag.add("lag/" + p.fileStem() + ".csv");
        }
        for (Expected e : List.of(
                new Expected(
                        "histogram logs (hlog/*.hlog); percentile spectra use the JMH percentiles instead",
                        noHlog,
                        loadPoints.size()),
                new Expected("uncorrected histogram logs (hlog/*.uncorrected.hlog)", noUncorrected, loadPoints.size()),
                new Expected(
                        "loop-lag CSVs (lag/*.csv); no lag-over-time for those points", noLag, loadPoints.size()))) {
            if (e.missing().isEmpty()) {
                continue;
            }
            if (e.missing().size() == e.total()) {
                problem("no " + e.what());
            } else {
                problem("missing " + e.missing().size() + " of " + e.total() + " " + e.what() + ": "
                        + String.join(", ", e.missing()));
            }
        }
    }

    public Path dir() {
        return dir;
    }

    /** What is missing or unreadable in this run, as sentences for the report. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** run.json, or null when it is missing, corrupt or of a newer schema. */
    public RunInfo run() {
        return run;
    }

    public boolean partial() {
        return run == null || run.partial() || run.finished() == null || !Files.exists(dir.resolve("results.json"));
    }

    public List<LoadPoint> loadPoints() {
        return loadPoints;
    }

    /** How each runtime's climb up each load's ladder ended; empty for a run at fractions of capacity. */
    public List<ClimbOutcome> climbs() {
        return climbs;
    }

    public List<JmhResult> micro() {
        return micro;
    }

    /** Node's timings, or null when node.json is absent or unreadable. */
    public NodeBaseline node() {
        return node;
    }

    public List<Path> jfrFiles() {
        return jfrFiles;
    }

    public JfrSummary jfrSummary() {
        return jfrSummary;
    }

    /** The corrected (or uncorrected) histogram of a point, or null when its log is missing or corrupt. */
    public Histogram histogram(LoadPoint p, boolean corrected) {
        Path file = hlogPath(p, corrected);
        if (file == null) {
            return null;
        }
        String key = file.toString();
        if (!histograms.containsKey(key)) {
            try {
                histograms.put(key, LatencyLog.read(file));
            } catch (BadInputException e) {
                problem(relative(e));
                histograms.put(key, null);
            }
        }
        return histograms.get(key);
    }

    /** The loop-lag samples of a point, or null when its CSV is missing or unreadable. */
    public LagSeries lag(LoadPoint p) {
        Path file = lagPath(p);
        if (file == null) {
            return null;
        }
        String key = file.toString();
        if (!lags.containsKey(key)) {
            try {
                LagSeries s = LagSeries.read(file);
                if (s.skippedRows() > 0) {
                    problem(dir.relativize(file) + ": skipped " + s.skippedRows() + " unparsable rows");
                }
                lags.put(key, s);
            } catch (BadInputException e) {
                problem(relative(e));
                lags.put(key, null);
            }
        }
        return lags.get(key);
    }

    private Path hlogPath(LoadPoint p, boolean corrected) {
        return existing("hlog", p, corrected ? ".hlog" : ".uncorrected.hlog");
    }

    private Path lagPath(LoadPoint p) {
        return existing("lag", p, ".csv");
    }

    private Path existing(String sub, LoadPoint p, String suffix) {
        return pointFile(dir, p, sub, suffix);
    }

    /**
     * A point's side file, {@code runDir/sub/<load>_<runtime>_<rate><suffix>}, or null when there is
     * none. The harness names files after the rate parameter; accept "1000" for "1000.0" and back.
     */
    public static Path pointFile(Path dir, LoadPoint p, String sub, String suffix) {
        List<String> rates = new ArrayList<>(List.of(p.rate()));
        if (Double.isFinite(p.rateValue()) && p.rateValue() == Math.rint(p.rateValue())) {
            rates.add(String.valueOf((long) p.rateValue()));
            rates.add((long) p.rateValue() + ".0");
        }
        for (String rate : rates) {
            Path f = dir.resolve(sub).resolve(p.load() + "_" + p.runtime() + "_" + rate + suffix);
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        return null;
    }

    private void problem(String text) {
        if (!problems.contains(text)) {
            problems.add(text);
        }
    }

    private String relative(BadInputException e) {
        Path f = e.file();
        String name = f.startsWith(dir) ? dir.relativize(f).toString() : f.toString();
        return name + e.getMessage().substring(f.toString().length());
    }
}
