package loopbench.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import loopbench.bench.load.MiniJson;
import loopbench.core.testing.SomeRuntime;
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
        Soak.Settings s = new Soak.Settings(SomeRuntime.awaiting(), 0.025, 500, 0.15, dir); // 1.5 s, 10 samples
        Soak.Result r = Soak.run(s, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertEquals(10, r.samples().size());
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) MiniJson.parse(Files.readString(r.json()));
        assertEquals(SomeRuntime.awaiting(), doc.get("runtime"));
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
        assertTrue(message("--runtime", SomeRuntime.any(), "--minutes", "0").contains("--minutes must be > 0"));
        assertTrue(message("--runtime", SomeRuntime.any(), "--rate", "fast").contains("--rate needs a number, got 'fast'"));
        assertTrue(message("--runtime", SomeRuntime.any(), "--minutes", "0.1", "--sample-seconds", "5").contains("gives 1 samples; the verdict needs at least 8"));
        assertTrue(message("--minutes", "1").contains("--runtime is required"));
        assertTrue(message("--runtime", SomeRuntime.any(), "--color").contains("unknown option '--color'"));
    }

    private static String message(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> Soak.parse(args)).getMessage();
    }
}
