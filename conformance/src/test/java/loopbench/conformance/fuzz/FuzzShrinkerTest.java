package loopbench.conformance.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import loopbench.conformance.Op;
import loopbench.conformance.Scenario;
import loopbench.conformance.ScenarioRunner;
import loopbench.core.testing.SomeRuntime;
import org.junit.jupiter.api.Test;

/** The shrinker with stand-in tests (no node needed). */
class FuzzShrinkerTest {
    private static ObjectNode json(String s) throws Exception {
        return (ObjectNode) ScenarioGenerator.JSON.readTree(s.replace('\'', '"'));
    }

    private static List<Op> ops(JsonNode main) {
        return Scenario.parse(
                        ScenarioGenerator.JSON
                                .createObjectNode()
                                .put("name", "x")
                                .set("main", main),
                        Path.of("x.json"))
                .main();
    }

    @Test
    void everyCandidateParsesAndIsStrictlySmaller() {
        ScenarioGenerator g = new ScenarioGenerator();
        for (long seed = 0; seed < 40; seed++) {
            ObjectNode sc = g.generate(seed);
            long[] size = Shrinker.measure(sc);
            for (ObjectNode c : Shrinker.candidates(sc)) {
                Scenario.parse(c, Path.of("c.json"));
                long[] m = Shrinker.measure(c);
                assertTrue(
                        m[0] < size[0] || (m[0] == size[0] && (m[1] < size[1] || (m[1] == size[1] && m[2] < size[2]))),
                        "seed " + seed + ": candidate not smaller: " + c.get("main"));
            }
        }
    }

    @Test
    void shrinksToTheOneOpThatMatters() throws Exception {
        ObjectNode sc = json("""
                {'name':'x','main':[
                  {'op':'log','msg':'a'},
                  {'op':'resolved','id':'p1','value':[1,2,3]},
                  {'op':'setTimeout','ms':20,'do':[
                     {'op':'log','msg':'b'},
                     {'op':'then','on':'p1','fulfilled':{'do':[{'op':'log','msg':'needle $v'}]}, 'id':'p2'},
                     {'op':'nextTick','do':[{'op':'log','msg':'c'}]}]},
                  {'op':'setImmediate','do':[{'op':'log','msg':'d'}]}]}""");
        // interesting: some log op's msg is exactly "needle $v"
        Shrinker.Test test = cands -> {
            for (int i = 0; i < cands.size(); i++) if (cands.get(i).toString().contains("needle $v")) return i;
            return -1;
        };
        Shrinker s = new Shrinker(test, 3, null);
        JsonNode main = s.shrink(sc).get("main");
        assertEquals(json("{'m':[{'op':'log','msg':'needle $v'}]}").get("m"), main);
        assertTrue(s.accepted() > 0 && s.tried() >= s.accepted());
    }

    /** The timers/promises ops shrink too: their ref and value go, delays and times come down, a for await stays in its async body. */
    @Test
    void shrinksTimersPromisesOps() throws Exception {
        ObjectNode sc = json("""
                {'name':'x','main':[
                  {'op':'setTimeoutPromise','ms':20,'value':'v','ref':false,'id':'p1'},
                  {'op':'async','do':[
                    {'op':'log','msg':'a'},
                    {'op':'forAwaitInterval','ms':40,'value':[1,2],'times':3,'ref':false,'do':[
                      {'op':'await','promise':'p1'},{'op':'log','msg':'needle'}]}]},
                  {'op':'setImmediatePromise','value':'w','ref':false,'id':'p2'}]}""");
        // interesting: a for await that awaits a timer promise
        Shrinker.Test test = cands -> {
            for (int i = 0; i < cands.size(); i++) {
                String t = cands.get(i).toString();
                if (t.contains("forAwaitInterval")
                        && t.contains("setTimeoutPromise")
                        && t.contains("'await'".replace('\'', '"'))) return i;
            }
            return -1;
        };
        assertEquals(json("""
                        {'m':[{'op':'setTimeoutPromise','ms':0,'id':'p1'},
                          {'op':'async','do':[{'op':'forAwaitInterval','ms':0,'times':1,'do':[{'op':'await','promise':'p1'}]}]}]}""").get("m"), new Shrinker(test, 4, null).shrink(sc).get("main"));
    }

    /** An op that defines an id goes together with the ops that use it, when neither can go alone. */
    @Test
    void removesATimerTogetherWithItsClear() throws Exception {
        ObjectNode sc = json("""
                {'name':'x','main':[{'op':'setTimeout','ms':0,'id':'t1','do':[{'op':'log','msg':'t'}]},
                  {'op':'nextTick','do':[{'op':'log','msg':'tick'}]},{'op':'clearTimeout','id':'t1'}]}""");
        // interesting: a nextTick, and no timer left running (a setTimeout only with its clear)
        Shrinker.Test test = cands -> {
            for (int i = 0; i < cands.size(); i++) {
                String t = cands.get(i).toString();
                if (t.contains("nextTick") && t.contains("setTimeout") == t.contains("clearTimeout")) return i;
            }
            return -1;
        };
        assertEquals(
                json("{'m':[{'op':'nextTick','do':[]}]}").get("m"),
                new Shrinker(test, 4, null).shrink(sc).get("main"));
    }

    /** A runtime-based test, as the fuzzer's: shrink while the loop runtime still logs "late" after "early". */
    @Test
    void shrinksAgainstARealRuntimeRun() throws Exception {
        ObjectNode sc = json("""
                {'name':'x','main':[
                  {'op':'emitter','id':'e1'},
                  {'op':'on','emitter':'e1','event':'a','do':[{'op':'log','msg':'listener $v'}]},
                  {'op':'setImmediate','do':[{'op':'log','msg':'late'}]},
                  {'op':'resolved','id':'p1','value':7},
                  {'op':'then','on':'p1','fulfilled':{'do':[{'op':'log','msg':'early'},{'op':'emit','emitter':'e1','event':'a','value':1}]}},
                  {'op':'log','msg':'sync'}]}""");
        ScenarioRunner runner = new ScenarioRunner();
        Shrinker.Test test = cands -> {
            for (int i = 0; i < cands.size(); i++) {
                ScenarioRunner.Result r =
                        runner.run(Scenario.parse(cands.get(i), Path.of("c.json")), SomeRuntime.any());
                if (r.ok()
                        && r.log().contains("early")
                        && r.log().indexOf("early") < r.log().indexOf("late")) return i;
            }
            return -1;
        };
        ObjectNode small = new Shrinker(test, 2, null).shrink(sc);
        // 1-minimal: the promise, the emitter and the listener go; the then is unwrapped into main
        assertEquals(
                json("{'m':[{'op':'setImmediate','do':[{'op':'log','msg':'late'}]},{'op':'log','msg':'early'}]}")
                        .get("m"),
                small.get("main"));
    }

    @Test
    void unwrappingATryInAnIntervalIntoAThrowIsNeverACandidate() throws Exception {
        ObjectNode sc = json("""
                {'name':'x','main':[{'op':'setInterval','ms':1,'times':2,'do':[
                  {'op':'try','do':[{'op':'throw','value':1}],'catch':[{'op':'log','msg':'caught'}]}]}]}""");
        JsonNode throwing = json("{'m':[{'op':'setInterval','ms':1,'times':2,'do':[{'op':'throw','value':1}]}]}")
                .get("m");
        assertFalse(Shrinker.terminates(ops(throwing)));
        List<ObjectNode> cands = Shrinker.candidates(sc);
        assertFalse(cands.isEmpty());
        for (ObjectNode c : cands) {
            assertTrue(Shrinker.terminates(ops(c.get("main"))), c.toString());
            assertFalse(c.get("main").equals(throwing), "an interval that throws before it can clear itself: " + c);
        }
    }

    @Test
    void canonicalFormRenamesIdsAndLabelsInOrder() throws Exception {
        ObjectNode a = json("""
                {'name':'x','main':[{'op':'resolved','id':'p7','value':1},{'op':'then','on':'p7','id':'p9',
                 'fulfilled':{'do':[{'op':'log','msg':'L12 $v'}],'return':{'promise':'p7'}}},
                 {'op':'all','of':['p9',{'value':2}]},{'op':'setTimeout','ms':1,'id':'t4','do':[]},{'op':'clearTimeout','id':'t4'}]}""");
        ObjectNode b = json("""
                {'name':'y','main':[{'op':'resolved','id':'p1','value':1},{'op':'then','on':'p1','id':'p2',
                 'fulfilled':{'do':[{'op':'log','msg':'L1 $v'}],'return':{'promise':'p1'}}},
                 {'op':'all','of':['p2',{'value':2}]},{'op':'setTimeout','ms':1,'id':'t1','do':[]},{'op':'clearTimeout','id':'t1'}]}""");
        assertEquals(b.get("main"), Shrinker.canonical(a).get("main"));
        Scenario.parse(Shrinker.canonical(a), Path.of("a.json"));
    }
}
