package loopbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench --java-home and --jvm-args: the JVM is asked, once, what it is and which collector the options select. */
class MeasuredJvmTest {
    @Test
    void theRunningJdkWithAGcOptionReportsThatCollector() throws MeasuredJvm.Refused {
        MeasuredJvm jvm = MeasuredJvm.probe(null, List.of("-Xmx64m"), List.of("-XX:+UseSerialGC"));
        assertEquals("Serial", jvm.gc());
        assertEquals(System.getProperty("java.version"), jvm.version());
        assertEquals(List.of("-Xmx64m", "-XX:+UseSerialGC"), jvm.args(), "--jvm-args come after the defaults");
        assertEquals(List.of("-XX:+UseSerialGC"), jvm.userArgs());
        Path home = Path.of(jvm.javaHome());
        MeasuredJvm same = MeasuredJvm.probe(home, List.of(), List.of("-XX:+UseParallelGC"));
        assertEquals("Parallel", same.gc());
        assertEquals(home.resolve("bin/java").toString(), same.java());
    }

    /**
     * A JDK that says it is 17 is refused. The JDK is a stand-in launcher that answers as a JDK 17
     * does, so the test needs no particular install on the machine.
     */
    @Test
    void aJdkOlderThan21IsRefusedNamingItsVersion(@TempDir Path jdk17) throws Exception {
        Path java = Files.createDirectories(jdk17.resolve("bin")).resolve("java");
        Files.writeString(
                java,
                "#!/bin/sh\n"
                        + "echo 'Property settings:' >&2\n"
                        + "echo '    java.home = " + jdk17 + "' >&2\n"
                        + "echo '    java.vendor = Eclipse Adoptium' >&2\n"
                        + "echo '    java.version = 17.0.9' >&2\n");
        Assumptions.assumeTrue(java.toFile().setExecutable(true), "cannot make a stand-in launcher executable here");
        MeasuredJvm.Refused e =
                assertThrows(MeasuredJvm.Refused.class, () -> MeasuredJvm.probe(jdk17, List.of(), List.of()));
        assertTrue(e.getMessage().startsWith("--java-home " + jdk17 + " is Java 17"), e.getMessage());
        assertTrue(e.getMessage().endsWith("the benchmarks need 21 or newer"), e.getMessage());
    }

    @Test
    void featureVersions() {
        assertEquals(21, MeasuredJvm.feature("21.0.5"));
        assertEquals(25, MeasuredJvm.feature("25"));
        assertEquals(8, MeasuredJvm.feature("1.8.0_392"));
        assertEquals(List.of("-XX:+UseZGC", "-Xmx2g"), MeasuredJvm.split("  -XX:+UseZGC   -Xmx2g "));
        assertEquals(List.of(), MeasuredJvm.split(null));
    }
}
