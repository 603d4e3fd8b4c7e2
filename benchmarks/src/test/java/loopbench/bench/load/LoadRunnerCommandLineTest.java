package loopbench.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The forked runner's command line: bad usage exits 2 with the reason, before any load runs. */
class LoadRunnerCommandLineTest {
    private String err = "";

    private int run(String... args) {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int status = LoadRunner.run(
                args,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        err = e.toString(StandardCharsets.UTF_8);
        return status;
    }

    @Test
    void badUsageExits2NamingTheProblem(@TempDir Path dir) {
        assertEquals(2, run());
        assertTrue(err.contains("missing command: points, harness, assemble or validate"), err);
        assertEquals(2, run("points", "--load", "cpu-blocking", "--runtime", "loop"));
        assertTrue(err.contains("--out"), err);
        assertEquals(2, run("points", "--out", dir.toString(), "--load", "disk", "--runtime", "loop"));
        assertTrue(err.contains("disk"), err);
        assertEquals(
                2,
                run(
                        "points",
                        "--out",
                        dir.toString(),
                        "--load",
                        "cpu-blocking",
                        "--runtime",
                        "loop",
                        "--seconds",
                        "x"));
        assertTrue(err.contains("--seconds"), err);
        assertEquals(2, run("harness", "--out", dir.toString()));
        assertTrue(err.contains("--rate"), err);
        assertEquals(
                2, run("points", "--out", dir.toString(), "--load", "cpu-blocking", "--runtime", "loop", "--bogus"));
        assertTrue(err.contains("--bogus"), err);
        assertEquals(0, run("points", "--help"));
    }
}
