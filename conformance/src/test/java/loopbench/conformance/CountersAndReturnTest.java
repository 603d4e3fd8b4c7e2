package loopbench.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import loopbench.core.EventLoops;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Counters, {@code if}, {@code repeat}, named functions and {@code return} outside async bodies
 * (SCENARIOS.md, "Counters and conditions", "Functions and return"): each misuse a clear error
 * naming where and what is allowed, and the rules the corpus cannot show one by one.
 */
class CountersAndReturnTest {
    @TempDir
    Path dir;

    private static final String LET = "{\"op\":\"let\",\"var\":\"n\",\"value\":0}";

    private String errorOf(String... ops) throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, scenario(ops));
        return assertThrows(ScenarioException.class, () -> Scenario.load(f)).getMessage();
    }

    private static String scenario(String... ops) {
        return "{\"name\":\"x\",\"main\":[" + String.join(",", ops) + "]}";
    }

    @Test
    void anUnknownCounterIsInvalidWhereverItIsRead() throws Exception {
        assertTrue(errorOf("{\"op\":\"add\",\"var\":\"n\",\"by\":1}")
                .contains("main[0]: unknown counter 'n' (no let op in the file sets it; set: none)"));
        String m = errorOf(LET + ",{\"op\":\"log\",\"msg\":\"${n} ${m}\"}");
        assertTrue(
                m.contains("main[1]: \"msg\" reads ${m}: unknown counter 'm' (no let op in the file sets it; set: n)"),
                m);
        m = errorOf("{\"op\":\"if\",\"cond\":{\"var\":\"k\",\"lt\":1},\"then\":[]}");
        assertTrue(m.contains("main[0].cond: unknown counter 'k'"), m);
    }

    @Test
    void aLogWithDollarTextThatIsNotACounterReadIsLeftAlone() throws Exception {
        Path f = dir.resolve("ok.json");
        Files.writeString(f, scenario("{\"op\":\"log\",\"msg\":\"${} $ {n} ${1x} $v\"}"));
        assertEquals(List.of("${} $ {n} ${1x} undefined"), runEverywhere(f));
    }

    @Test
    void aCounterNameMustBeAnIdentifier() throws Exception {
        assertTrue(errorOf("{\"op\":\"let\",\"var\":\"a b\",\"value\":0}")
                .contains("main[0]: counter name 'a b' must be an identifier"));
        assertTrue(errorOf("{\"op\":\"let\",\"var\":\"n\",\"value\":1.5}").contains("\"value\" must be an integer"));
    }

    @Test
    void aConditionMakesExactlyOneComparisonOfTheRightKind() throws Exception {
        String then = ",\"then\":[]}";
        assertTrue(errorOf(LET + ",{\"op\":\"if\",\"cond\":{\"var\":\"n\"}" + then)
                .contains("main[1].cond: exactly one comparison, got none (a condition is {\"var\": COUNTER, CMP:"
                        + " INTEGER} with CMP one of lt, le, eq, ne, ge, gt"));
        assertTrue(errorOf(LET + ",{\"op\":\"if\",\"cond\":{\"var\":\"n\",\"lt\":1,\"gt\":0}" + then)
                .contains("exactly one comparison, got [lt, gt]"));
        assertTrue(errorOf(LET + ",{\"op\":\"if\",\"cond\":{\"var\":\"n\",\"eq\":\"1\"}" + then)
                .contains("main[1].cond: counter 'n' compares with an integer, got \"1\""));
        assertTrue(errorOf("{\"op\":\"if\",\"cond\":{\"var\":\"$v\",\"lt\":1}" + then)
                .contains("main[0].cond: $v compares by text, with \"eq\" or \"ne\" only, got \"lt\""));
        assertTrue(errorOf("{\"op\":\"if\",\"cond\":3" + then).contains("main[0].cond: a condition is"));
        assertTrue(errorOf(LET + ",{\"op\":\"if\",\"cond\":{\"var\":\"n\",\"lt\":1}}")
                .contains("needs field \"then\""));
    }

    @Test
    void repeatTimesIsBounded() throws Exception {
        assertTrue(errorOf("{\"op\":\"repeat\",\"times\":10001,\"do\":[]}")
                .contains("main[0]: \"times\" of repeat must be 0..10000, got 10001"));
        assertTrue(errorOf("{\"op\":\"repeat\",\"times\":-1,\"do\":[]}").contains("got -1"));
    }

    @Test
    void anUnknownFunctionIsInvalid() throws Exception {
        assertTrue(errorOf("{\"op\":\"call\",\"fn\":\"f\"}")
                .contains("main[0]: unknown function 'f' (no function op in the file defines it; defined: none)"));
    }

    @Test
    void returnIsValidInEveryFunctionButTakesOneOperand() throws Exception {
        for (String where : List.of(
                "{\"op\":\"return\"}",
                "{\"op\":\"setTimeout\",\"ms\":1,\"do\":[{\"op\":\"return\"}]}",
                "{\"op\":\"nextTick\",\"do\":[{\"op\":\"if\",\"cond\":{\"var\":\"$v\",\"eq\":1},\"then\":[{\"op\":\"return\"}]}]}",
                "{\"op\":\"newPromise\",\"id\":\"p\",\"do\":[{\"op\":\"return\",\"value\":1}]}")) {
            Path f = dir.resolve("ok.json");
            Files.writeString(f, scenario(where));
            Scenario.load(f);
        }
        assertTrue(errorOf(
                        "{\"op\":\"resolved\",\"id\":\"p\",\"value\":1}",
                        "{\"op\":\"return\",\"value\":1,\"promise\":\"p\"}")
                .contains("main[1]: return takes \"value\" or \"promise\", not both"));
    }

    /** The checker sees that a counter and a function exist somewhere; using them before they do is the run's error. */
    @Test
    void usingACounterOrAFunctionBeforeItsOpRanIsAnErrorOfTheRun() throws Exception {
        InvalidScenarioTest.assertEveryRuntimeFails(
                dir,
                scenario("{\"op\":\"log\",\"msg\":\"${n}\"}", LET + ",{\"op\":\"log\",\"msg\":\"x\"}"),
                "counter 'n' used before its let ran");
        InvalidScenarioTest.assertEveryRuntimeFails(
                dir,
                scenario("{\"op\":\"call\",\"fn\":\"f\"}", "{\"op\":\"function\",\"id\":\"f\",\"do\":[]}"),
                "function 'f' called before its function op ran");
        InvalidScenarioTest.assertEveryRuntimeFails(
                dir,
                scenario(
                        "{\"op\":\"function\",\"id\":\"f\",\"do\":[{\"op\":\"try\",\"do\":[{\"op\":\"if\","
                                + "\"cond\":{\"var\":\"$v\",\"ne\":1},\"then\":[{\"op\":\"repeat\",\"times\":1,"
                                + "\"do\":[{\"op\":\"call\",\"fn\":\"f\"}]}]}],\"catch\":[]}]}",
                        "{\"op\":\"call\",\"fn\":\"f\"}"),
                "calls nest deeper than 100 (call of 'f')");
        InvalidScenarioTest.assertEveryRuntimeFails(
                dir,
                scenario(
                        "{\"op\":\"let\",\"var\":\"n\",\"value\":2147483647}",
                        "{\"op\":\"repeat\",\"times\":10000,\"do\":[{\"op\":\"repeat\",\"times\":10000,\"do\":"
                                + "[{\"op\":\"add\",\"var\":\"n\",\"by\":2147483647}]}]}"),
                "counter 'n' left the safe integers");
    }

    /**
     * A return ends main (a CommonJS module body), the rest of its function from inside an if and a
     * repeat, and one run of an interval, which still counts towards its times (else the oracle's
     * interval would never clear itself).
     */
    @Test
    void returnEndsItsFunctionFromInsideBlocks() throws Exception {
        Path f = dir.resolve("ret.json");
        Files.writeString(
                f,
                scenario(
                        LET,
                        "{\"op\":\"setInterval\",\"ms\":1,\"times\":3,\"do\":[{\"op\":\"add\",\"var\":\"n\",\"by\":1},"
                                + "{\"op\":\"repeat\",\"times\":5,\"do\":[{\"op\":\"if\",\"cond\":{\"var\":\"n\",\"ge\":2},"
                                + "\"then\":[{\"op\":\"log\",\"msg\":\"run ${n} returns\"},{\"op\":\"return\"}]}]},"
                                + "{\"op\":\"log\",\"msg\":\"run ${n} ends\"}]}",
                        "{\"op\":\"log\",\"msg\":\"main\"}",
                        "{\"op\":\"return\"}",
                        "{\"op\":\"log\",\"msg\":\"after return\"}"));
        assertEquals(List.of("main", "run 1 ends", "run 2 returns", "run 3 returns"), runEverywhere(f));
    }

    /** The log every runtime gives (they must agree), failing on an error. */
    private List<String> runEverywhere(Path f) {
        Scenario sc = Scenario.load(f);
        List<String> first = null;
        for (String rt : EventLoops.names()) {
            ScenarioRunner.Result r = new ScenarioRunner().run(sc, rt);
            assertNull(r.error(), rt + ": " + r.error());
            if (first == null) first = r.log();
            else assertEquals(first, r.log(), rt);
        }
        return first;
    }
}
