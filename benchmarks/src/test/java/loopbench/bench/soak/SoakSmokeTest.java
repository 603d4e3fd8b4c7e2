package loopbench.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import loopbench.schema.RunFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A soak of about 1.5 s on the loom runtime (it exercises await, offload and TCP in async bodies)
 * writes files that parse and hold every sample; and bad arguments say what was wrong. The verdict
 * of so short a run is not asserted: it measures warm-up, not a steady state.
 */
class SoakSmokeTest {

    @Test
    void aShortSoakWritesParseableFiles(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Soak.Settings s = new Soak.Settings("loom", 0.025, 500, 0.15, dir); // 1.5 s, 10 samples
        Soak.Result r = Soak.run(s, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertEquals(10, r.samples().size());
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = RunFiles.JSON.readValue(r.json().toFile(), Map.class);
        assertEquals("loom", doc.get("runtime"));
        assertEquals(10, ((List<?>) doc.get("samples")).size());
        @SuppressWarnings("unchecked")
        Map<String, Object> verdict = (Map<String, Object>) doc.get("verdict");
        assertEquals(r.flat(), verdict.get("flat"));
        assertTrue(((Map<?, ?>) doc.get("jdk")).containsKey("version"));
        @SuppressWarnings("unchecked")
        Map<String, Object> ops = (Map<String, Object>) doc.get("ops");
        assertTrue(((Number) ops.get("completed")).longValue() > 0, "no operation completed: " + ops);
        assertEquals(0L, ((Number) ops.get("errors")).longValue(), "errors: " + ops.get("errorMessages"));

        List<String> csv = Files.readAllLines(r.csv());
        assertEquals(11, csv.size());
        assertEquals("runtime," + String.join(",", SoakSample.COLUMNS), csv.get(0));
        assertEquals(SoakSample.COLUMNS.size() + 1, csv.get(1).split(",").length);
        assertTrue(csv.get(1).startsWith("loom,"));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("wrote " + r.json()));
    }

    @Test
    void badArgumentsSayWhatWasWrongAndWhatIsAllowed() {
        assertTrue(message("--runtime", "node").contains("must be one of loop, loom, threadpool, got 'node'"));
        assertTrue(message("--runtime", "loop", "--minutes", "0").contains("--minutes must be > 0"));
        assertTrue(message("--runtime", "loop", "--rate", "fast").contains("--rate': 'fast' is not a double"));
        assertTrue(message("--runtime", "loop", "--minutes", "0.1", "--sample-seconds", "5")
                .contains("gives 1 samples; the verdict needs at least 8"));
        assertTrue(message("--minutes", "1").contains("Missing required option: '--runtime=<runtime>'"));
        assertTrue(message("--runtime", "loop", "--color").contains("Unknown option: '--color'"));
    }

    /** What a refused command line prints on stderr; it must exit 2 (bad usage). */
    private static String message(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Soak.run(
                args,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, status, text);
        return text;
    }
}
