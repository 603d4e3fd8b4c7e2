package loopbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every command's bad usage: one line on stderr naming the command and the problem, a hint line,
 * exit status 2; and a generated --help. Nothing here starts a run: each command line is refused
 * before any work.
 */
class CliUsageTest {
    static final List<String> COMMANDS =
            List.of("scenarios", "bench", "micro", "soak", "report", "compare", "fuzz", "validate");

    record Result(int status, String out, List<String> err) {}

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(
                status,
                out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8).lines().toList());
    }

    /** Exit 2, and stderr is "loopbench CMD: ..." holding every fragment, then the hint, nothing else. */
    static void assertUsageError(Result r, String command, String... fragments) {
        assertEquals(2, r.status(), r.toString());
        assertEquals(2, r.err().size(), "one line and a hint: " + r.err());
        String line = r.err().get(0);
        assertTrue(line.startsWith("loopbench " + command + ": "), line);
        for (String f : fragments) {
            assertTrue(line.contains(f), "'" + f + "' in: " + line);
        }
        assertEquals("try 'loopbench " + command + " --help'", r.err().get(1));
    }

    static Stream<Arguments> badUsage() {
        return Stream.of(
                // an unknown option
                Arguments.of(
                        "scenarios",
                        List.of("--bogus", "--runtime", "loop", "x.json"),
                        List.of("unknown option", "'--bogus'")),
                Arguments.of("bench", List.of("--bogus"), List.of("unknown option", "'--bogus'")),
                Arguments.of("micro", List.of("--bogus"), List.of("unknown option", "'--bogus'")),
                Arguments.of("soak", List.of("--bogus"), List.of("unknown option", "'--bogus'")),
                Arguments.of("report", List.of("run", "--bogus"), List.of("unknown option", "'--bogus'")),
                Arguments.of("compare", List.of("a.json", "b.json", "--bogus"), List.of("unknown option", "'--bogus'")),
                Arguments.of("fuzz", List.of("--bogus"), List.of("unknown option", "'--bogus'")),
                Arguments.of("validate", List.of("--bogus"), List.of("unknown option", "'--bogus'")),
                // a missing value
                Arguments.of("scenarios", List.of("x.json", "--runtime"), List.of("--runtime")),
                Arguments.of("bench", List.of("--out"), List.of("--out")),
                Arguments.of("bench", List.of("--out", "--quick"), List.of("--out", "--quick")),
                Arguments.of("micro", List.of("--out"), List.of("--out")),
                Arguments.of("soak", List.of("--minutes"), List.of("--minutes")),
                Arguments.of("report", List.of("run", "--out"), List.of("--out")),
                Arguments.of("compare", List.of("a.json", "b.json", "--threshold"), List.of("--threshold")),
                Arguments.of("fuzz", List.of("--seed"), List.of("--seed")),
                Arguments.of("validate", List.of("--seconds"), List.of("--seconds")),
                Arguments.of("bench", List.of("--arrival"), List.of("--arrival")),
                // a missing argument
                Arguments.of("scenarios", List.of("--runtime", "loop"), List.of("FILE_OR_DIR")),
                Arguments.of("scenarios", List.of("x.json"), List.of("--runtime")),
                Arguments.of("report", List.of(), List.of("RUN_DIR")),
                Arguments.of("compare", List.of("a.json"), List.of("CURRENT")),
                // an unknown runtime or load
                Arguments.of(
                        "scenarios",
                        List.of("--runtime", "nodejs", "x.json"),
                        List.of("unknown runtime 'nodejs'", "loop, loom, threadpool")),
                Arguments.of(
                        "bench",
                        List.of("--runtime", "loop,nodejs"),
                        List.of("unknown runtime 'nodejs'", "loop, loom, threadpool or all")),
                Arguments.of(
                        "bench",
                        List.of("--load", "disk"),
                        List.of("unknown load 'disk'", "cpu-blocking, io-heavy, mixed or all")),
                Arguments.of(
                        "soak",
                        List.of("--runtime", "nodejs"),
                        List.of("unknown runtime 'nodejs'", "loop, loom, threadpool or all")),
                Arguments.of(
                        "fuzz",
                        List.of("--runtime", "nodejs"),
                        List.of("unknown runtime 'nodejs'", "loop, loom, threadpool")),
                Arguments.of(
                        "validate",
                        List.of("--runtime", "nodejs"),
                        List.of("unknown runtime 'nodejs'", "loop, loom, threadpool")),
                // a bad number or choice
                Arguments.of(
                        "bench",
                        List.of("--arrival", "bursty"),
                        List.of("--arrival must be poisson or constant", "'bursty'")),
                Arguments.of("validate", List.of("--seconds", "2"), List.of("--seconds must be in [5, 600]", "got 2")),
                Arguments.of("validate", List.of("--seconds", "x"), List.of("--seconds", "'x'")),
                Arguments.of(
                        "validate",
                        List.of("--tolerance", "0"),
                        List.of("--tolerance must be a percentage in (0, 100]")),
                Arguments.of("bench", List.of("--seconds", "five"), List.of("--seconds", "'five'")),
                Arguments.of(
                        "bench", List.of("--seconds", "0.001"), List.of("--seconds must be in [1, 3600]", "got 0.001")),
                Arguments.of("bench", List.of("--fractions", "0.5,11"), List.of("--fractions", "(0, 10]", "got 11")),
                Arguments.of(
                        "bench",
                        List.of("--rates", "2000,1000"),
                        List.of("--rates: rates must be given in ascending order", "rate 2 (1,000) follows 2,000")),
                Arguments.of(
                        "bench",
                        List.of("--rates", "1000,0"),
                        List.of("--rates: rate 2 must be a positive number of requests per second")),
                Arguments.of("bench", List.of("--rates", "1000,lots"), List.of("--rates", "'lots'")),
                Arguments.of(
                        "bench", List.of("--rates", "1000", "--fractions", "0.5"), List.of("--rates and --fractions")),
                Arguments.of("bench", List.of("--slo-p99-ms", "-5"), List.of("--slo-p99-ms must be", "got -5")),
                Arguments.of(
                        "bench", List.of("--backend-threads", "0"), List.of("--backend-threads must be 1..64, got 0")),
                Arguments.of(
                        "bench",
                        List.of("--layout", "sideways"),
                        List.of("--layout", "per-core, single, per-request", "'sideways'")),
                Arguments.of("bench", List.of("--backend", "example.org:http"), List.of("--backend", "port")),
                Arguments.of(
                        "bench",
                        List.of("--layout", "per-request", "--runtime", "loop"),
                        List.of("per-request needs loom or threadpool")),
                // the measured JVM is started once with its options before anything runs
                Arguments.of(
                        "bench",
                        List.of("--java-home", "/no/such/jdk"),
                        List.of("--java-home /no/such/jdk: no such directory")),
                Arguments.of(
                        "bench",
                        List.of("--java-home", System.getProperty("java.io.tmpdir")),
                        List.of("--java-home", "not a JDK (no executable bin/java)")),
                Arguments.of(
                        "bench",
                        List.of("--jvm-args", "-XX:+UseNoSuchThingGC"),
                        List.of("--jvm-args", "-XX:+UseNoSuchThingGC", "refused them", "Unrecognized VM option")),
                Arguments.of(
                        "compare",
                        List.of("a.json", "b.json", "--alpha", "2"),
                        List.of("--alpha", "probability in (0, 0.5]")),
                Arguments.of("soak", List.of("--rate", "0"), List.of("--rate must be in [1, 100000]", "got 0")),
                Arguments.of(
                        "soak", List.of("--minutes", "0.05"), List.of("gives 0 samples; the verdict needs at least 8")),
                Arguments.of(
                        "compare",
                        List.of("a.json", "b.json", "--threshold", "-3"),
                        List.of("--threshold", "percentage >= 0")),
                Arguments.of("fuzz", List.of("--count", "x"), List.of("--count", "'x'")),
                Arguments.of("fuzz", List.of("--count", "0"), List.of("--count must be >= 1")),
                // micro passes JMH's arguments on only after --
                Arguments.of("micro", List.of("-prof", "gc"), List.of("unknown option", "'-prof'")),
                Arguments.of("micro", List.of("ImmediateCost"), List.of("'ImmediateCost'", "JMH options go after --")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badUsage")
    void badUsageIsOneLineNamingTheProblemAndExit2(String command, List<String> args, List<String> fragments) {
        String[] all = Stream.concat(Stream.of(command), args.stream()).toArray(String[]::new);
        assertUsageError(run(all), command, fragments.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"scenarios", "bench", "micro", "soak", "report", "compare", "fuzz", "validate"})
    void everyCommandHasGeneratedHelp(String command) {
        // picocli reports a description it cannot format ("%" in the text) on System.err itself
        PrintStream systemErr = System.err;
        ByteArrayOutputStream picocliWarnings = new ByteArrayOutputStream();
        System.setErr(new PrintStream(picocliWarnings, true, StandardCharsets.UTF_8));
        try {
            for (List<String> asked :
                    List.of(List.of(command, "--help"), List.of(command, "-h"), List.of("help", command))) {
                Result r = run(asked.toArray(String[]::new));
                assertEquals(0, r.status(), r.toString());
                assertTrue(r.out().contains("Usage: loopbench " + command + " "), r.out());
                assertTrue(r.out().contains("-h, --help"), r.out());
                assertEquals(List.of(), r.err());
            }
        } finally {
            System.setErr(systemErr);
        }
        assertEquals("", picocliWarnings.toString(StandardCharsets.UTF_8), "help text picocli could not format");
    }

    @Test
    void theRootHelpListsEveryCommand() {
        for (String asked : List.of("--help", "help")) {
            Result r = run(asked);
            assertEquals(0, r.status(), r.toString());
            for (String c : COMMANDS) {
                assertTrue(r.out().contains("\n  " + c + " "), c + " in:\n" + r.out());
            }
        }
    }

    @Test
    void anUnknownOrMissingCommandIsBadUsage() {
        Result unknown = run("benchmark", "--quick");
        assertEquals(2, unknown.status());
        assertTrue(
                unknown.err().get(0).startsWith("loopbench: unknown command 'benchmark'; the commands are "),
                unknown.err().toString());
        assertTrue(
                unknown.err().get(0).contains("scenarios, bench, micro, soak, report, compare, fuzz, validate"),
                unknown.err().toString());
        assertEquals(2, unknown.err().size(), unknown.err().toString());
        Result none = run();
        assertEquals(2, none.status());
        assertTrue(
                none.err().get(0).startsWith("loopbench: no command given"),
                none.err().toString());
    }

    @Test
    void theReadmeListsEveryCommandAsItsHelpDescribesIt() throws java.io.IOException {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
        picocli.CommandLine root = Main.commandLine(System.out, System.err);
        for (String c : COMMANDS) {
            String header = String.join(
                    " ",
                    root.getSubcommands().get(c).getCommandSpec().usageMessage().header());
            assertTrue(
                    readme.contains("| `" + c + "` | " + header + " |"),
                    "README.md's command table lacks: | `" + c + "` | " + header + " |");
        }
    }
}
