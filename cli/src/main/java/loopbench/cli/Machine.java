package loopbench.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Facts about the machine and the checkout that bench and soak record beside their results. */
final class Machine {
    private Machine() {}

    /** The CPU's model name from /proc/cpuinfo, or the architecture when there is none. */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                String l = line.toLowerCase(Locale.ROOT);
                if (l.startsWith("model name") || l.startsWith("hardware") || l.startsWith("cpu model")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    /** The trimmed first line a command prints, or null if it cannot run or fails (5 s at most). */
    static String firstLine(Path dir, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd)
                    .directory(dir.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            p.getOutputStream().close();
            byte[] bytes = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            if (p.exitValue() != 0) {
                return null;
            }
            String s = new String(bytes, StandardCharsets.UTF_8).trim();
            return s.isEmpty() ? "" : s.lines().findFirst().orElse("").trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The loopbench home: where the build's artifacts and results/ are ({@code -Dloopbench.home}, set by ./loopbench). */
    static Path home() {
        return Path.of(System.getProperty("loopbench.home", "."))
                .toAbsolutePath()
                .normalize();
    }

    /** benchmarks/target/benchmarks.jar under the home, which bench, micro and soak fork. */
    static Path benchmarksJar() {
        return home().resolve("benchmarks/target/benchmarks.jar");
    }
}
