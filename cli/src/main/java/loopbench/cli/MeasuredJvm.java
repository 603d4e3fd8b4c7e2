package loopbench.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import loopbench.schema.RunInfo;

/**
 * The JVM that bench's measured forks run on ({@code --java-home DIR}, {@code --jvm-args "..."}),
 * checked by starting it once with those arguments: a directory without {@code bin/java}, a JDK
 * older than the benchmarks' 21, or arguments the JVM refuses are a usage error before anything
 * runs. The same start tells which collector the arguments select, for run.json.
 *
 * @param java the java launcher
 * @param javaHome its JDK, as the JVM reports {@code java.home}
 * @param args the measured JVMs' arguments: the defaults (or LOOPBENCH_BENCH_JAVA_OPTS), then --jvm-args
 * @param userArgs --jvm-args alone, which the micro suite's JMH forks also get (they size their own heaps)
 */
record MeasuredJvm(
        String java,
        String javaHome,
        List<String> args,
        List<String> userArgs,
        String version,
        String vendor,
        String gc) {
    /** The oldest JDK the benchmarks' class files run on. */
    static final int MIN_FEATURE = 21;

    private static final Pattern PROPERTY = Pattern.compile("^\\s*(java\\.home|java\\.version|java\\.vendor) = (.*)$");
    private static final Pattern GC_FLAG =
            Pattern.compile("^\\s*bool Use(G1|Parallel|Serial|Z|Shenandoah|Epsilon)GC\\s+= true\\b.*");

    /** Why a --java-home or --jvm-args cannot be used; the message names the option and the value. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /** Splits --jvm-args on white space (no quoting: JVM options hold no spaces in practice). */
    static List<String> split(String jvmArgs) {
        return jvmArgs == null || jvmArgs.isBlank()
                ? List.of()
                : List.of(jvmArgs.trim().split("\\s+"));
    }

    /** {@code javaHome} null: the JDK running this command. */
    static MeasuredJvm probe(Path javaHome, List<String> defaults, List<String> userArgs) throws Refused {
        String java;
        if (javaHome == null) {
            java = ForkedJvm.java();
        } else {
            if (!Files.isDirectory(javaHome)) {
                throw new Refused("--java-home " + javaHome + ": no such directory");
            }
            Path launcher = javaHome.resolve("bin").resolve("java");
            if (!Files.isExecutable(launcher)) {
                throw new Refused("--java-home " + javaHome + ": not a JDK (no executable bin/java)");
            }
            java = launcher.toString();
        }
        List<String> args = new ArrayList<>(defaults);
        args.addAll(userArgs);
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(args);
        cmd.addAll(List.of("-XshowSettings:properties", "-XX:+PrintFlagsFinal", "-version"));
        String output;
        int status;
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] bytes = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new Refused(java + " did not answer -version within 60 s");
            }
            status = p.exitValue();
            output = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Refused("cannot start " + java + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused("interrupted while starting " + java);
        }
        if (status != 0) {
            String why = output.lines()
                    .filter(l -> l.startsWith("Error") || l.startsWith("Unrecognized") || l.contains("Invalid"))
                    .findFirst()
                    .orElse(output.lines().findFirst().orElse("exit status " + status));
            throw new Refused("--jvm-args '" + String.join(" ", args) + "': " + java + " refused them: " + why.strip());
        }
        String home = null;
        String version = null;
        String vendor = null;
        String gc = null;
        for (String line : output.lines().toList()) {
            Matcher m = PROPERTY.matcher(line);
            if (m.matches()) {
                switch (m.group(1)) {
                    case "java.home" -> home = m.group(2).strip();
                    case "java.version" -> version = m.group(2).strip();
                    default -> vendor = m.group(2).strip();
                }
            }
            Matcher g = GC_FLAG.matcher(line);
            if (g.matches()) gc = g.group(1);
        }
        if (version == null) {
            throw new Refused(java + " printed no java.version: not a JDK launcher");
        }
        if (feature(version) < MIN_FEATURE) {
            throw new Refused((javaHome == null ? java : "--java-home " + javaHome) + " is Java " + version
                    + ": the benchmarks need " + MIN_FEATURE + " or newer");
        }
        return new MeasuredJvm(java, home, List.copyOf(args), List.copyOf(userArgs), version, vendor, gc);
    }

    /** 21 for "21.0.5", 8 for "1.8.0_392". */
    static int feature(String version) {
        String[] p = version.split("[.+_-]");
        try {
            int first = Integer.parseInt(p[0]);
            return first == 1 && p.length > 1 ? Integer.parseInt(p[1]) : first;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    RunInfo.Jvm toRunInfo() {
        return new RunInfo.Jvm(javaHome, version, vendor, gc, args);
    }
}
