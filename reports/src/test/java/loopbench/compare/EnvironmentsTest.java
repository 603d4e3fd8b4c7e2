package loopbench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What compare says about where the two sides ran: a fact a run did not record is unknown, never a difference. */
class EnvironmentsTest {
    private static final List<String> DEFAULT_ARGS = List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch");

    @TempDir
    Path tmp;

    /** A run of {@link NoisyRun} with a run.json; {@code gc} null writes no {@code jvm} (a run from before it was recorded). */
    private Path run(String name, String gc, List<String> args) throws IOException {
        Path dir = NoisyRun.write(tmp.resolve(name), 1, 1, 1);
        ObjectNode run = NoisyRun.JSON.createObjectNode().put("schema", 1).put("profile", "quick");
        run.putObject("jdk").put("version", "25.0.3").put("vendor", "Eclipse Adoptium");
        run.putObject("cpu").put("model", "AMD EPYC").put("cores", 2);
        run.putObject("git").put("commit", "0123456789abcdef").put("dirty", false);
        args.forEach(run.putObject("options").putArray("jvmArgs")::add);
        if (gc != null) {
            ObjectNode jvm = run.putObject("jvm")
                    .put("version", "25.0.3")
                    .put("vendor", "Eclipse Adoptium")
                    .put("gc", gc);
            args.forEach(jvm.putArray("args")::add);
        }
        NoisyRun.JSON.writeValue(dir.resolve("run.json").toFile(), run);
        return dir;
    }

    @Test
    void aRunThatDidNotRecordItsCollectorDiffersFromNone() throws IOException {
        Path old = run("old", null, DEFAULT_ARGS);
        Path recorded = run("new", "G1", DEFAULT_ARGS);
        assertEquals(Environments.UNKNOWN, Environments.of(old).get("gc"));
        CompareCommandTest.Run r = CompareCommandTest.compare(old.toString(), recorded.toString());
        assertEquals(0, r.code(), r.out());
        assertFalse(r.out().contains("warning:"), "absent is unknown, not different: " + r.out());
        String gcRow =
                r.out().lines().filter(l -> l.startsWith("gc ")).findFirst().orElseThrow();
        assertTrue(gcRow.contains("?") && gcRow.contains("G1") && !gcRow.contains("differs"), gcRow);
        // pooled with a run that knows it, the side's collector is the known one
        CompareCommandTest.Run pooled = CompareCommandTest.compare(old + "," + recorded, recorded.toString());
        assertFalse(pooled.out().contains("warning:"), pooled.out());
    }

    @Test
    void aCollectorTheArgumentsOrTheRecordNameIsCompared() throws IOException {
        Path oldZ = run("oldZ", null, List.of("-XX:+UseZGC"));
        Path g1 = run("g1", "G1", DEFAULT_ARGS);
        Path parallel = run("parallel", "Parallel", DEFAULT_ARGS);
        assertEquals("Z", Environments.of(oldZ).get("gc"));
        CompareCommandTest.Run r = CompareCommandTest.compare(oldZ.toString(), g1.toString());
        assertTrue(r.out().contains("warning: the runs differ in gc, jvm args"), r.out());
        CompareCommandTest.Run recorded = CompareCommandTest.compare(parallel.toString(), g1.toString());
        assertTrue(recorded.out().contains("warning: the runs differ in gc,"), recorded.out());
    }
}
