package loopbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The soak command's arguments, and the merge of the children's files (synthetic ones: no JVM is started). */
class SoakCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void badArgumentsFailAtOnceWithTheReason() {
        assertEquals(2, run("--runtime", "node"));
        assertTrue(
                lastErr.contains("unknown runtime 'node' for --runtime: use loop, loom, threadpool or all"), lastErr);
        assertEquals(2, run("--minutes", "0.05"));
        assertTrue(lastErr.contains("gives 0 samples; the verdict needs at least 8"), lastErr);
        assertEquals(2, run("--rate", "0"));
        assertTrue(lastErr.contains("--rate must be in [1, 100000] operations per second, got 0"), lastErr);
        assertEquals(2, run("--threads", "4"));
        assertTrue(lastErr.contains("unknown options: '--threads'"), lastErr);
        assertEquals(0, run("--help"));
    }

    @Test
    void defaultsAreTenMinutesOfEveryRuntime() {
        SoakCommand c = new SoakCommand(System.out, System.err);
        new picocli.CommandLine(c).parseArgs();
        SoakCommand.Settings s = c.settings();
        assertEquals(10, s.minutes());
        assertEquals(List.of("loop", "loom", "threadpool"), s.runtimes());
    }

    @Test
    void mergeWritesSoakFilesAndFailsWhenARuntimeIsNotFlat(@TempDir Path dir) throws Exception {
        child(dir, "loop", true);
        child(dir, "loom", false);
        Map<String, Integer> exits = new LinkedHashMap<>();
        exits.put("loop", 0);
        exits.put("loom", 1);
        SoakCommand.Settings s = new SoakCommand.Settings(List.of("loop", "loom"), 1, 100, 5, dir);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SoakCommand.merge(
                s,
                dir,
                exits,
                List.of(),
                Instant.now(),
                61,
                List.of("-Xmx512m"),
                dir,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(1, status);
        JsonNode doc = JSON.readTree(dir.resolve("soak.json").toFile());
        assertFalse(doc.path("flat").asBoolean(true));
        assertTrue(
                doc.path("runtimes").path("loop").path("verdict").path("flat").asBoolean());
        assertTrue(
                doc.path("problems").get(0).asText().startsWith("loom: GROWING"),
                doc.path("problems").toString());
        List<String> csv = Files.readAllLines(dir.resolve("soak.csv"));
        assertEquals(1 + 2 * 12, csv.size()); // one header, then each runtime's rows
        assertTrue(Files.size(dir.resolve("soak-heap.png")) > 1000);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("loom: GROWING"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("NOT FLAT"));
    }

    /** A child's soak-RUNTIME.json and .csv: 12 samples, flat or growing 1 MiB per sample. */
    private static void child(Path dir, String runtime, boolean flat) throws Exception {
        StringBuilder samples = new StringBuilder();
        StringBuilder csv = new StringBuilder("runtime,seconds,heapAfterGcBytes\n");
        for (int i = 0; i < 12; i++) {
            long heap = (20L << 20) + (flat ? 0 : (long) i << 20);
            samples.append(i == 0 ? "" : ",")
                    .append("{\"seconds\": ")
                    .append(5 * (i + 1))
                    .append(", \"heapAfterGcBytes\": ")
                    .append(heap)
                    .append('}');
            csv.append(runtime)
                    .append(',')
                    .append(5 * (i + 1))
                    .append(',')
                    .append(heap)
                    .append('\n');
        }
        String reasons = flat ? "[]" : "[\"GROWING: heap after GC: ...\"]";
        String doc = "{\"runtime\": \"" + runtime + "\", \"verdict\": {\"flat\": " + flat + ", \"reasons\": " + reasons
                + ", \"heap\": {\"growthBytes\": 0, \"projectedBytesPer10Minutes\": 0}}, \"threads\": {\"baseline\": 6, \"maxDuringRun\": 16,"
                + " \"afterClose\": 6}, \"ops\": {\"completed\": 1000}, \"samples\": [" + samples + "]}";
        Files.writeString(dir.resolve("soak-" + runtime + ".json"), doc);
        Files.writeString(dir.resolve("soak-" + runtime + ".csv"), csv.toString());
    }

    private String lastErr = "";

    private int run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 1];
        all[0] = "soak";
        System.arraycopy(args, 0, all, 1, args.length);
        int status = Main.run(
                all,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        lastErr = err.toString(StandardCharsets.UTF_8);
        return status;
    }
}
