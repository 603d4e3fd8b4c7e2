package loopbench.schema;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import loopbench.core.EventLoops;
import loopbench.core.io.AtomicFile;

/**
 * Reading and writing the run directory's JSON files (reports/RESULTS-FORMAT.md). Writers write
 * atomically (temporary file, then rename). Readers stream through Jackson and stop at
 * {@link #MAX_BYTES}, so a wrong path ({@code /dev/zero}, a core dump) gives a one-line
 * {@link BadFileException} instead of filling the heap.
 *
 * <p>Each finished load point leaves {@code points/<stem>.result.json} (its results.json entry) and
 * {@code points/<stem>.jfr.json}; {@link #assemble} gathers them into results.json and
 * jfr-summary.json, so a run cut short keeps what it finished.
 */
public final class RunFiles {
    /**
     * The schema version this code writes and the newest it reads. 2: results.json may hold a ladder's
     * outcome per load and runtime ({@link LoadMetric#CAPACITY_BENCHMARK}), and ladder points carry no
     * {@code loadFraction}.
     */
    public static final int SCHEMA = 2;

    /** The stem of a ladder's outcome: {@code <load>_<runtime>_capacity}, after that runtime's points. */
    public static final String CAPACITY_STEM = "capacity";
    /** No results file comes near this; anything bigger is the wrong file. */
    public static final long MAX_BYTES = 64L << 20;

    static final String RESULT_SUFFIX = ".result.json";
    static final String JFR_SUFFIX = ".jfr.json";

    /** Indented, for files people read. */
    public static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY); // JMH files with flat rawData still read
    /** One object per line, for the fork protocol. */
    static final ObjectMapper JSON_LINES = new ObjectMapper();

    /** A file that cannot be read as what it should be: which file, and what is wrong, in one line. */
    public static final class BadFileException extends IOException {
        private final transient Path file;
        private final String problem;

        public BadFileException(Path file, String problem) {
            super(file + ": " + problem);
            this.file = file;
            this.problem = problem;
        }

        public Path file() {
            return file;
        }

        /** What is wrong, without the file name. */
        public String problem() {
            return problem;
        }
    }

    private RunFiles() {}

    /** Parses any JSON file of at most {@link #MAX_BYTES}, naming the file and where a syntax error is. */
    public static JsonNode readTree(Path file) throws BadFileException {
        if (Files.isDirectory(file)) {
            throw new BadFileException(file, "is a directory, expected a JSON file");
        }
        JsonNode node;
        try (InputStream in = new Bounded(Files.newInputStream(file))) {
            if (Files.isRegularFile(file) && Files.size(file) > MAX_BYTES) throw new TooBig();
            node = JSON.readTree(in);
        } catch (NoSuchFileException e) {
            throw new BadFileException(file, "file not found");
        } catch (TooBig e) {
            throw new BadFileException(file, "larger than " + (MAX_BYTES >> 20) + " MiB, not a results file");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 0
                    ? ""
                    : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new BadFileException(
                    file,
                    "not valid JSON" + where + ": "
                            + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new BadFileException(file, "cannot read: " + e);
        }
        if (node == null || node.isMissingNode()) {
            throw new BadFileException(file, "empty file, expected JSON");
        }
        return node;
    }

    /** Reads a file of a versioned kind (run.json, jfr-summary.json), refusing a schema newer than {@link #SCHEMA}. */
    public static <T> T read(Path file, Class<T> type) throws BadFileException {
        JsonNode node = readTree(file);
        checkSchema(file, node);
        return convert(file, node, type);
    }

    /** results.json or micro.json: the JMH entries. */
    public static List<JmhEntry> readJmh(Path file) throws BadFileException {
        return convert(file, readTree(file), new TypeReference<>() {});
    }

    /** {@code node}, read from {@code file}, as a {@code T}; a shape that does not fit is a one-line error. */
    public static <T> T convert(Path file, JsonNode node, Class<T> type) throws BadFileException {
        try {
            return JSON.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new BadFileException(file, "not a " + type.getSimpleName() + ": " + e.getOriginalMessage());
        }
    }

    private static <T> T convert(Path file, JsonNode node, TypeReference<T> type) throws BadFileException {
        try {
            return JSON.readerFor(type).readValue(node);
        } catch (IOException e) {
            throw new BadFileException(
                    file,
                    "not JMH JSON output: " + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e));
        }
    }

    /** A {@code schema} newer than this code reads is refused, naming the version needed. */
    public static void checkSchema(Path file, JsonNode node) throws BadFileException {
        JsonNode v = node.path("schema");
        if (v.isMissingNode()) {
            return;
        }
        if (!v.canConvertToInt() || v.asInt() < 1) {
            throw new BadFileException(file, "\"schema\" is " + v + ", expected a version number");
        }
        if (v.asInt() > SCHEMA) {
            throw new BadFileException(
                    file,
                    "schema " + v.asInt() + " needs a newer loopbench (this one reads schema " + SCHEMA
                            + " and older)");
        }
    }

    /** A record (or any value) as indented JSON text. */
    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "not serialisable as JSON: " + value.getClass().getName(), e);
        }
    }

    public static void write(Path file, Object value) throws IOException {
        AtomicFile.write(file, JSON.writeValueAsBytes(value));
    }

    /** Leaves one finished point's files in RUN_DIR/points; {@code jfr} may be null. */
    public static void writePoint(Path runDir, String stem, JmhEntry result, JfrSummary.Point jfr) throws IOException {
        Path points = runDir.resolve("points");
        if (jfr != null) write(points.resolve(stem + JFR_SUFFIX), jfr);
        write(points.resolve(stem + RESULT_SUFFIX), result);
    }

    /**
     * Writes RUN_DIR/results.json (and jfr-summary.json when any point has a recording) from the
     * finished points, in {@link #POINT_ORDER}; returns how many points. A point file that does not
     * parse is left out and reported to {@code warn}.
     */
    public static int assemble(Path runDir, Consumer<String> warn) throws IOException {
        List<JmhEntry> results = new ArrayList<>();
        for (Path f : points(runDir, RESULT_SUFFIX)) {
            try {
                JmhEntry e = convert(f, readTree(f), JmhEntry.class);
                if (e.benchmark() == null || e.primaryMetric() == null)
                    throw new BadFileException(f, "not a JMH result");
                results.add(e);
            } catch (BadFileException e) {
                warn.accept(runDir.relativize(f) + " left out: " + e.problem());
            }
        }
        write(runDir.resolve("results.json"), results);
        Map<String, JfrSummary.Point> jfr = new LinkedHashMap<>();
        for (Path f : points(runDir, JFR_SUFFIX)) {
            try {
                jfr.put(stemOf(f, JFR_SUFFIX), convert(f, readTree(f), JfrSummary.Point.class));
            } catch (BadFileException e) {
                warn.accept(runDir.relativize(f) + " left out: " + e.problem());
            }
        }
        if (!jfr.isEmpty()) write(runDir.resolve("jfr-summary.json"), JfrSummary.of(jfr));
        return results.size();
    }

    /**
     * The order of points in results.json and jfr-summary.json: by load name, then by runtime in the
     * registry's order ({@link EventLoops#names()}; unknown runtimes after, by name), then by rate as a
     * number, the runtime's ladder outcome ({@link #CAPACITY_STEM}) last. Stems not of the form {@code load_runtime_rate} go last.
     */
    public static final Comparator<String> POINT_ORDER = Comparator.comparing(RunFiles::sortKey);

    private static String sortKey(String stem) {
        String[] p = stem.split("_");
        boolean capacity = p.length == 3 && p[2].equals(CAPACITY_STEM);
        if (p.length != 3 || !(capacity || p[2].matches("\\d{1,18}"))) return "~" + stem;
        int runtime = EventLoops.names().indexOf(p[1]);
        return String.format(
                Locale.ROOT,
                "%s\u0000%02d%s\u0000%018d",
                p[0],
                runtime < 0 ? 99 : runtime,
                p[1],
                capacity ? Long.MAX_VALUE : Long.parseLong(p[2]));
    }

    private static List<Path> points(Path runDir, String suffix) throws IOException {
        Path dir = runDir.resolve("points");
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(suffix)
                            && !f.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing((Path f) -> stemOf(f, suffix), POINT_ORDER))
                    .toList();
        }
    }

    private static String stemOf(Path f, String suffix) {
        String n = f.getFileName().toString();
        return n.substring(0, n.length() - suffix.length());
    }

    private static final class TooBig extends IOException {}

    /** Fails the read once more than {@link #MAX_BYTES} came through, whatever the source claims its size is. */
    private static final class Bounded extends FilterInputStream {
        private long count;

        Bounded(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) counted(1);
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) counted(n);
            return n;
        }

        private void counted(int n) throws TooBig {
            count += n;
            if (count > MAX_BYTES) throw new TooBig();
        }
    }
}
