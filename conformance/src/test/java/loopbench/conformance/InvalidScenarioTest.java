package loopbench.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import loopbench.core.EventLoops;
import loopbench.core.testing.SomeRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad scenario files and bad arguments: each gives a clear, specific error, and the runner goes on. */
class InvalidScenarioTest {
    @TempDir
    Path dir;

    private String errorOf(String json) throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, json);
        return assertThrows(ScenarioException.class, () -> Scenario.load(f)).getMessage();
    }

    @Test
    void malformedJsonNamesLineAndColumn() throws Exception {
        String m = errorOf("{\"name\": \"x\", \"main\": [ {\"op\": \"log\" ");
        assertTrue(m.contains("not valid JSON") && m.contains("line 1"), m);
    }

    @Test
    void unknownOpNamesThePathAndTheAllowedOps() throws Exception {
        String m = errorOf(
                "{\"name\":\"x\",\"main\":[{\"op\":\"log\",\"msg\":\"a\"},{\"op\":\"setTimout\",\"ms\":1,\"do\":[]}]}");
        assertTrue(m.contains("main[1]") && m.contains("unknown op 'setTimout'") && m.contains("setTimeout"), m);
    }

    @Test
    void unknownPromiseId() throws Exception {
        String m = errorOf("{\"name\":\"x\",\"main\":[{\"op\":\"then\",\"on\":\"nope\"}]}");
        assertTrue(m.contains("main[0]") && m.contains("unknown promise 'nope'"), m);
    }

    @Test
    void unknownEmitterResolverAndTimer() throws Exception {
        assertTrue(errorOf("{\"name\":\"x\",\"main\":[{\"op\":\"unref\",\"id\":\"t\"}]}")
                .contains("unknown timer 't'"));
        assertTrue(errorOf("{\"name\":\"x\",\"main\":[{\"op\":\"emit\",\"emitter\":\"e\",\"event\":\"a\"}]}")
                .contains("unknown emitter 'e'"));
        assertTrue(errorOf(
                        "{\"name\":\"x\",\"main\":[{\"op\":\"resolved\",\"id\":\"p\",\"value\":1},{\"op\":\"resolve\",\"id\":\"p\",\"value\":1}]}")
                .contains("unknown resolver 'p'"));
    }

    @Test
    void theLoopbenchOpsSayWhatTheyNeed() throws Exception {
        String e = "{\"op\":\"emitter\",\"id\":\"e\"},";
        assertTrue(errorOf("{\"name\":\"x\",\"main\":[{\"op\":\"processOn\",\"event\":\"warning\",\"do\":[]}]}")
                .contains("main[0]: unknown process event 'warning' (allowed: beforeExit, exit, "
                        + "uncaughtException, unhandledRejection, rejectionHandled)"));
        assertTrue(errorOf("{\"name\":\"x\",\"main\":[{\"op\":\"try\",\"do\":[]}]}")
                .contains("main[0]: try needs \"catch\", \"finally\" or both"));
        assertTrue(errorOf("{\"name\":\"x\",\"main\":[" + e
                        + "{\"op\":\"removeListener\",\"emitter\":\"e\",\"event\":\"a\",\"listener\":\"f\"}]}")
                .contains("main[1]: unknown listener 'f'"));
        assertTrue(errorOf("{\"name\":\"x\",\"main\":[" + e
                        + "{\"op\":\"emit\",\"emitter\":\"e\",\"event\":\"a\",\"value\":1,\"args\":[1]}]}")
                .contains("emit takes \"value\" (one argument) or \"args\" (several), not both"));
        assertTrue(errorOf("{\"name\":\"x\",\"main\":[" + e
                        + "{\"op\":\"emit\",\"emitter\":\"e\",\"event\":\"a\",\"args\":1}]}")
                .contains("\"args\" must be an array of values"));
        assertTrue(
                errorOf("{\"name\":\"x\",\"main\":[" + e + "{\"op\":\"setMaxListeners\",\"emitter\":\"e\",\"n\":-1}]}")
                        .contains("\"n\" must be >= 0 (0 is unlimited), got -1"));
        assertTrue(errorOf("{\"name\":\"x\",\"main\":[{\"op\":\"newPromise\",\"id\":\"p\",\"do\":[]},"
                        + "{\"op\":\"reject\",\"id\":\"p\"}]}")
                .contains("'reject' needs \"value\" or \"promise\""));
    }

    @Test
    void awaitOutsideAsyncIsRefusedEvenInsideACallbackOfAnAsyncBody() throws Exception {
        assertTrue(errorOf("{\"name\":\"x\",\"main\":[{\"op\":\"await\",\"value\":1}]}")
                .contains("await outside an async body"));
        String m = errorOf(
                "{\"name\":\"x\",\"main\":[{\"op\":\"async\",\"do\":[{\"op\":\"setTimeout\",\"ms\":1,\"do\":[{\"op\":\"await\",\"value\":1}]}]}]}");
        assertTrue(m.contains("main[0].do[0].do[0]") && m.contains("await outside an async body"), m);
    }

    /** for await stands where await may: in an async body, not in main nor in a callback inside one. */
    @Test
    void forAwaitIntervalOutsideAnAsyncBodySaysWhereItMayStand() throws Exception {
        String loop = "{\"op\":\"forAwaitInterval\",\"ms\":10,\"times\":1,\"do\":[{\"op\":\"await\",\"value\":1}]}";
        String m = errorOf("{\"name\":\"x\",\"main\":[" + loop + "]}");
        assertTrue(
                m.contains("main[0]: forAwaitInterval outside an async body (for await may stand where await may: in"
                        + " an async op's do, and in the try and forAwaitInterval blocks inside it)"),
                m);
        m = errorOf("{\"name\":\"x\",\"main\":[{\"op\":\"async\",\"do\":[{\"op\":\"setImmediate\",\"do\":[" + loop
                + "]}]}]}");
        assertTrue(m.contains("main[0].do[0].do[0]: forAwaitInterval outside an async body"), m);
        // its own body is part of the async body: await and return are allowed there
        Scenario.parse(
                Scenario.JSON.readTree("{\"name\":\"x\",\"main\":[{\"op\":\"async\",\"do\":["
                        + loop.replace("]}", ",{\"op\":\"return\"}]}") + "]}]}"),
                Path.of("ok.json"));
    }

    @Test
    void timersPromisesOpsSayWhatTheyNeed() throws Exception {
        assertTrue(errorOf("{\"name\":\"x\",\"main\":[{\"op\":\"async\",\"do\":[{\"op\":\"forAwaitInterval\","
                        + "\"ms\":10,\"times\":0,\"do\":[]}]}]}")
                .contains("main[0].do[0]: \"times\" must be an integer >= 1, got 0"));
        assertTrue(errorOf("{\"name\":\"x\",\"main\":[{\"op\":\"setTimeoutPromise\",\"ms\":10,\"ref\":\"no\"}]}")
                .contains("main[0]: \"ref\" must be true or false, got \"no\""));
        assertTrue(errorOf("{\"name\":\"x\",\"main\":[{\"op\":\"setTimeoutPromise\",\"value\":1}]}")
                .contains("main[0]: op 'setTimeoutPromise' needs field \"ms\""));
    }

    @Test
    void missingAndMistypedFields() throws Exception {
        assertTrue(errorOf("{\"name\":\"x\",\"main\":[{\"op\":\"setTimeout\",\"do\":[]}]}")
                .contains("needs field \"ms\""));
        assertTrue(errorOf("{\"name\":\"x\",\"main\":[{\"op\":\"cpu\",\"ms\":\"ten\"}]}")
                .contains("\"ms\" must be a number"));
        assertTrue(errorOf("{\"main\":[]}").contains("\"name\""));
        assertTrue(errorOf("{\"name\":\"x\"}").contains("\"main\""));
    }

    /** An immediate has no refresh (a TypeError in Node): an error of the file, not a silent no-op. */
    @Test
    void refreshOfAnImmediateIsAnErrorForThatFile() throws Exception {
        assertEveryRuntimeFails(
                dir,
                "{\"name\":\"imm\",\"main\":[{\"op\":\"setImmediate\",\"id\":\"i\",\"do\":[]},{\"op\":\"refresh\",\"id\":\"i\"}]}",
                "refresh of i: an immediate has no refresh");
    }

    /** T[id] is undefined until its setTimeout ran: Node's call throws, the runner says why. */
    @Test
    void aTimerUsedBeforeItStartedIsAnErrorForThatFile() throws Exception {
        assertEveryRuntimeFails(
                dir,
                "{\"name\":\"early\",\"main\":[{\"op\":\"hasRef\",\"id\":\"t\"},{\"op\":\"setTimeout\",\"ms\":1,\"id\":\"t\",\"do\":[]}]}",
                "hasRef of timer 't' before its setTimeout/setInterval/setImmediate ran");
    }

    @Test
    void usedBeforeDefinedIsAnErrorForThatFileNotALoggedException() throws Exception {
        assertEveryRuntimeFails(
                dir,
                "{\"name\":\"late\",\"main\":[{\"op\":\"then\",\"on\":\"p\"},{\"op\":\"resolved\",\"id\":\"p\",\"value\":1}]}",
                "unknown promise 'p'");
    }

    /** A file the checker accepts but whose run fails on every runtime with an error containing {@code fragment}. */
    static void assertEveryRuntimeFails(Path dir, String json, String fragment) throws Exception {
        Path f = dir.resolve("run.json");
        Files.writeString(f, json);
        for (String rt : EventLoops.names()) {
            ScenarioRunner.Result r = new ScenarioRunner().run(Scenario.load(f), rt);
            assertTrue(r.error() != null && r.error().contains(fragment), rt + ": " + r);
        }
    }

    private record Run(int exit, String out, String err) {}

    private Run command(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8),
                e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = new picocli.CommandLine(new ScenariosCommand(o, e))
                .setErr(new java.io.PrintWriter(e, true))
                .execute(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badArgumentsExit2WithUsage() {
        Run r = command("--runtime", "nodejs", "x.json");
        assertEquals(2, r.exit());
        assertTrue(
                r.err().contains("unknown runtime 'nodejs'") && r.err().contains(String.join(", ", EventLoops.names())),
                r.err());
        assertEquals(2, command("x.json").exit());
        assertEquals(2, command("--runtime", SomeRuntime.any()).exit());
        assertTrue(command(
                        "--runtime",
                        SomeRuntime.any(),
                        dir.resolve("missing.json").toString())
                .err()
                .contains("no such file"));
    }

    @Test
    void anInvalidFileIsReportedAndTheNextOneStillRuns() throws Exception {
        Files.writeString(dir.resolve("a-bad.json"), "{\"name\":\"bad\",\"main\":[{\"op\":\"nope\"}]}");
        Files.writeString(dir.resolve("b-good.json"), "{\"name\":\"good\",\"main\":[{\"op\":\"log\",\"msg\":\"hi\"}]}");
        Run r = command("--runtime", "all", dir.toString());
        assertEquals(1, r.exit());
        String[] lines = r.out().strip().split("\n");
        assertEquals(6, lines.length, r.out());
        assertTrue(lines[0].contains("\"error\"") && lines[0].contains("unknown op 'nope'"), lines[0]);
        assertEquals("{\"name\":\"good\",\"runtime\":\"loop\",\"log\":[\"hi\"]}", lines[3]);
        assertEquals("{\"name\":\"good\",\"runtime\":\"threadpool\",\"log\":[\"hi\"]}", lines[5]);
    }

    /** Issue 19, defect 2: Jackson's limit exceptions carry no location; the file gets an error line, the next one runs. */
    @Test
    void aFileBeyondTheParsersLimitsGetsAnErrorLineAndTheNextFileStillRuns() throws Exception {
        Files.writeString(
                dir.resolve("a-deep.json"), "{\"name\":\"d\",\"main\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}");
        Files.writeString(dir.resolve("b-good.json"), "{\"name\":\"good\",\"main\":[{\"op\":\"log\",\"msg\":\"hi\"}]}");
        Run r = command("--runtime", "loop", dir.toString());
        assertEquals(1, r.exit(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length, r.out());
        assertTrue(
                lines[0].contains("a-deep.json")
                        && lines[0].contains("\"error\"")
                        && lines[0].contains("nesting depth"),
                lines[0]);
        assertEquals("{\"name\":\"good\",\"runtime\":\"loop\",\"log\":[\"hi\"]}", lines[1]);
    }

    /** Issue 19, defect 3: a cpu op longer than the scenario may run is refused before anything runs. */
    @Test
    void cpuAboveTheMaximumIsRefused() throws Exception {
        String m = errorOf("{\"name\":\"x\",\"main\":[{\"op\":\"cpu\",\"ms\":1e12}]}");
        assertTrue(m.contains("main[0]") && m.contains("\"ms\"") && m.contains("at most " + Op.Cpu.MAX_MS), m);
    }

    /**
     * Issue 19, defect 3: the time limit ends a scenario that spins past it (here 100 cpu ops of the
     * maximum each) with an error, and leaves no thread of the loop behind. The preemptive timeout
     * only catches the old hang; the scenario's limit is 300 ms.
     */
    @Test
    void theTimeLimitEndsASpinningScenarioAndLeavesNoThread() throws Exception {
        String cpu = "{\"op\":\"cpu\",\"ms\":" + Op.Cpu.MAX_MS + "},";
        Path f = dir.resolve("spin.json");
        Files.writeString(f, "{\"name\":\"spin\",\"main\":[" + cpu.repeat(100) + "{\"op\":\"log\",\"msg\":\"end\"}]}");
        Scenario sc = Scenario.load(f);
        for (String rt : new String[] {"loop", "loom", "threadpool"}) {
            Set<Thread> before = loopThreads();
            ScenarioRunner.Result r = assertTimeoutPreemptively(
                    Duration.ofSeconds(60), () -> new ScenarioRunner(Duration.ofMillis(300)).run(sc, rt));
            assertTrue(r.error() != null && r.error().contains("did not finish within 300 ms"), rt + ": " + r);
            assertEquals(before, loopThreads(), rt + ": threads left running");
        }
    }

    /** Platform threads a loop started (the runner's watchdog and the shared blocked-loop checker are not a loop's). */
    private static Set<Thread> loopThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("loopbench-")
                        && !t.getName().contains("watchdog")
                        && !t.getName().contains("checker"))
                .collect(Collectors.toSet());
    }

    /** Issue 19, defect 8: the oracle runs "times": 1.5 twice, the runner ran it once; neither may run it. */
    @Test
    void intervalTimesMustBeAWholeNumber() throws Exception {
        String m = errorOf("{\"name\":\"x\",\"main\":[{\"op\":\"setInterval\",\"ms\":1,\"times\":1.5,\"do\":[]}]}");
        assertTrue(m.contains("main[0]") && m.contains("\"times\"") && m.contains("integer"), m);
    }
}
