package loopbench.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import loopbench.core.EventLoops;
import loopbench.core.io.AtomicFile;

/**
 * The harness's files in RUN_DIR (reports/RESULTS-FORMAT.md). Each finished point leaves
 * {@code points/<stem>.result.json} (its results.json entry) and {@code points/<stem>.jfr.json};
 * {@link #assemble} gathers every finished point into results.json and jfr-summary.json, so a run
 * cut short keeps what it finished. Every file is written atomically (a temporary file, then a rename).
 */
public final class ResultFiles {
    static final String RESULT_SUFFIX = ".result.json";
    static final String JFR_SUFFIX = ".jfr.json";

    private ResultFiles() {
    }

    static void writePoint(Path runDir, PointResult r, Map<String, Object> jfrSummary) throws IOException {
        Path points = runDir.resolve("points");
        if (jfrSummary != null) AtomicFile.write(points.resolve(r.stem() + JFR_SUFFIX), Json.write(jfrSummary));
        AtomicFile.write(points.resolve(r.stem() + RESULT_SUFFIX), Json.write(r.toJmh()));
    }

    /** Writes RUN_DIR/results.json (and jfr-summary.json when any point has one); returns how many points. */
    public static int assemble(Path runDir) throws IOException {
        List<Path> results = points(runDir, RESULT_SUFFIX);
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 0; i < results.size(); i++) {
            sb.append(Files.readString(results.get(i)).strip());
            sb.append(i + 1 < results.size() ? ",\n" : "\n");
        }
        sb.append("]\n");
        AtomicFile.write(runDir.resolve("results.json"), sb.toString());
        List<Path> jfrs = points(runDir, JFR_SUFFIX);
        if (!jfrs.isEmpty()) {
            StringBuilder js = new StringBuilder("{\n\"schema\": 1,\n\"points\": {\n");
            for (int i = 0; i < jfrs.size(); i++) {
                Json.string(js, stemOf(jfrs.get(i), JFR_SUFFIX));
                js.append(": ").append(Files.readString(jfrs.get(i)).strip());
                js.append(i + 1 < jfrs.size() ? ",\n" : "\n");
            }
            js.append("}\n}\n");
            AtomicFile.write(runDir.resolve("jfr-summary.json"), js.toString());
        }
        return results.size();
    }

    /** The point files, in report order: load, then runtime, then rate. */
    static List<Path> points(Path runDir, String suffix) throws IOException {
        Path dir = runDir.resolve("points");
        if (!Files.isDirectory(dir)) return List.of();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = new ArrayList<>(s.filter(f -> f.getFileName().toString().endsWith(suffix)
                    && !f.getFileName().toString().startsWith(".")).toList());
        }
        files.sort(Comparator.comparing((Path f) -> order(stemOf(f, suffix))));
        return files;
    }

    private static String stemOf(Path f, String suffix) {
        String n = f.getFileName().toString();
        return n.substring(0, n.length() - suffix.length());
    }

    /** A sort key for {@code load_runtime_rate}. */
    private static String order(String stem) {
        String[] p = stem.split("_");
        if (p.length != 3) return "~" + stem;
        int load = Loads.names().indexOf(p[0]);
        int runtime = EventLoops.names().indexOf(p[1]);
        long rate;
        try {
            rate = Long.parseLong(p[2]);
        } catch (NumberFormatException e) {
            rate = Long.MAX_VALUE;
        }
        return String.format("%02d|%s|%02d|%s|%019d", load < 0 ? 99 : load, p[0], runtime < 0 ? 99 : runtime, p[1], rate);
    }
}
