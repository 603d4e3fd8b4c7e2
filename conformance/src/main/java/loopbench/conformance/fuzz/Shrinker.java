package loopbench.conformance.fuzz;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import loopbench.conformance.Op;
import loopbench.conformance.Scenario;
import loopbench.conformance.ScenarioException;

/**
 * Delta debugging for scenarios: repeatedly applies the first one-step reduction (remove a chunk of
 * ops, unwrap a block into its parent, drop an optional field or item, simplify a value or a
 * delay) that keeps the scenario interesting, until no single reduction does (1-minimal).
 *
 * <p>"Interesting" is a {@link Test} over a batch of candidates, so that Node can check several
 * candidates in one go; for the fuzzer it is "Node is stable on it and the runtime still logs
 * something else" ({@link #differential}). Every candidate is strictly smaller than the scenario it
 * came from (fewer ops, or as many ops and shorter JSON, or as long and smaller delays), so
 * shrinking ends.
 */
public final class Shrinker {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Which candidate of a batch (in order) is still interesting: its index, or -1 if none. */
    @FunctionalInterface
    public interface Test {
        int firstInteresting(List<ObjectNode> candidates);
    }

    private final Test test;
    private final int batch;
    private final Consumer<String> progress;
    private int tried;
    private int accepted;

    public Shrinker(Test test, int batch, Consumer<String> progress) {
        this.test = test;
        this.batch = Math.max(1, batch);
        this.progress = progress == null ? s -> {} : progress;
    }

    public int tried() {
        return tried;
    }

    public int accepted() {
        return accepted;
    }

    /** A 1-minimal interesting scenario reached from {@code start} (which must be interesting). */
    public ObjectNode shrink(ObjectNode start) {
        ObjectNode current = start.deepCopy();
        int resumeAt = 0;
        while (true) {
            List<ObjectNode> cands = candidates(current);
            int n = cands.size();
            boolean found = false;
            // resume where the last success was (earlier candidates mostly failed already), wrapping round
            for (int done = 0; done < n && !found; ) {
                int from = (resumeAt + done) % n;
                int to = Math.min(n, from + batch);
                List<ObjectNode> chunk = cands.subList(from, to);
                tried += chunk.size();
                int hit = test.firstInteresting(new ArrayList<>(chunk));
                if (hit >= 0) {
                    current = chunk.get(hit);
                    accepted++;
                    resumeAt = from + hit;
                    found = true;
                    progress.accept("shrink: " + ScenarioGenerator.countOps(current.get("main")) + " ops (" + accepted
                            + " reductions, " + tried + " candidates tried)");
                }
                done += to - from;
            }
            if (!found) return current;
        }
    }

    // ------------------------------------------------------------------ candidates

    /** Every valid one-step reduction of {@code s}, biggest first, each strictly smaller. */
    public static List<ObjectNode> candidates(ObjectNode s) {
        List<ObjectNode> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long[] size = measure(s);
        List<String> blocks = new ArrayList<>();
        List<String> ops = new ArrayList<>();
        walk(s.get("main"), "/main", blocks, ops);
        Consumer<ObjectNode> add = c -> {
            if (!smaller(measure(c), size) || !seen.add(c.get("main").toString())) return;
            try {
                if (terminates(Scenario.parse(c, Path.of("candidate.json")).main())) out.add(c);
            } catch (ScenarioException e) {
                // not a valid scenario: not a candidate
            }
        };
        // 1. remove chunks of ops from a block: halves, quarters... single ops
        for (String b : blocks) {
            int len = s.at(b).size();
            for (int k = len; k >= 1; k = k == 1 ? 0 : Math.max(1, k / 2)) {
                for (int from = 0; from + k <= len; from += k) {
                    ObjectNode c = s.deepCopy();
                    ArrayNode a = (ArrayNode) c.at(b);
                    for (int i = 0; i < k; i++) a.remove(from);
                    add.accept(c);
                }
            }
        }
        // 1b. remove an op that defines an id together with every op that uses the id
        for (String p : ops) {
            JsonNode op = s.at(p);
            if (!op.path("id").isTextual() || !defines(Op.of(op))) continue;
            ObjectNode c = s.deepCopy();
            JsonNode definer = c.at(p);
            String id = op.get("id").textValue();
            removeOps(c.get("main"), n -> n == definer || uses(n, id));
            add.accept(c);
        }
        // 1c. remove a counter's let together with every op that reads or changes the counter
        for (String p : ops) {
            JsonNode op = s.at(p);
            if (!op.path("op").asText().equals("let")) continue;
            ObjectNode c = s.deepCopy();
            String name = op.get("var").textValue();
            removeOps(
                    c.get("main"),
                    n -> name.equals(n.path("var").asText(null))
                            || name.equals(n.path("cond").path("var").asText(null))
                            || n.path("msg").asText("").contains("${" + name + "}"));
            add.accept(c);
        }
        // 2. unwrap: replace an op by the ops of one of its blocks
        for (String p : ops) {
            for (String block : blockPointers(s.at(p))) add.accept(unwrap(s, p, JsonPointer.compile(p + block)));
        }
        // 3. drop optional parts; 4. simplify values, delays, kinds
        for (String p : ops) {
            JsonNode op = s.at(p);
            Op typed = Op.of(op);
            for (String field : List.of("id", "return", "fulfilled", "rejected", "ref", "else")) {
                if (op.has(field) && !(field.equals("id") && idRequired(typed)))
                    add.accept(edit(s, p, o -> o.remove(field)));
            }
            // a timers/promises op's value is optional (undefined): dropping it is simpler than 0
            if (typed instanceof Op.TimersPromise && op.has("value")) add.accept(edit(s, p, o -> o.remove("value")));
            for (String h : List.of("fulfilled", "rejected")) {
                JsonNode handler = op.path(h);
                if (handler.has("return")) add.accept(edit(s, p, o -> ((ObjectNode) o.get(h)).remove("return")));
                for (String field : List.of("value", "throw")) {
                    if (handler.path("return").has(field)
                            && !isZero(handler.get("return").get(field))) {
                        add.accept(edit(s, p, o -> ((ObjectNode) o.get(h).get("return")).put(field, 0)));
                    }
                }
            }
            if (op.has("of")) {
                for (int i = 0; i < op.get("of").size(); i++) {
                    int idx = i;
                    add.accept(edit(s, p, o -> ((ArrayNode) o.get("of")).remove(idx)));
                }
            }
            for (String field : List.of("value", "throw")) {
                if (op.has(field) && !isZero(op.get(field))) add.accept(edit(s, p, o -> o.put(field, 0)));
                if (op.path("return").has(field) && !isZero(op.get("return").get(field))) {
                    add.accept(edit(s, p, o -> ((ObjectNode) o.get("return")).put(field, 0)));
                }
            }
            if (op.has("ms") && op.get("ms").asDouble() != 0) add.accept(edit(s, p, o -> o.put("ms", 0)));
            if (op.has("times") && op.get("times").asInt() > 1) add.accept(edit(s, p, o -> o.put("times", 1)));
            Op simpler = simpler(typed);
            if (simpler != null) add.accept(replace(s, p, simpler.toJson()));
        }
        return out;
    }

    /** The op of a simpler kind, or with a simpler field, that may stand in for {@code op}; null if none. */
    private static Op simpler(Op op) {
        return switch (op) {
            case Op.Cpu c when c.ms() > 1 -> new Op.Cpu(Math.max(1, (long) c.ms() / 2));
            case Op.SetInterval i -> new Op.SetTimeout(i.ms(), i.body(), i.id());
            case Op.Once o -> new Op.On(o.emitter(), o.event(), o.body(), o.id());
            case Op.PrependListener o -> new Op.On(o.emitter(), o.event(), o.body(), o.id());
            case Op.PrependOnceListener o -> new Op.Once(o.emitter(), o.event(), o.body(), o.id());
            case Op.ClearInterval c -> new Op.ClearTimeout(c.id());
            case Op.Emit e when e.value() != null || e.args() != null -> new Op.Emit(e.emitter(), e.event(), null);
            case Op.Log l when l.msg().contains(" $v") -> new Op.Log(l.msg().replace(" $v", ""));
            case Op.Add a when a.by() != 1 -> new Op.Add(a.counter(), 1);
            case Op.Call c when c.value() != null -> new Op.Call(c.fn(), null);
            default -> null;
        };
    }

    /** Whether every interval of a scenario's main ends: see {@link #terminates(List, boolean, Map)}. */
    static boolean terminates(List<Op> main) {
        return terminates(main, false, functionBodies(main));
    }

    /**
     * False if an op that can throw (throw, emit) sits synchronously in a setInterval callback
     * outside a try, or in a function such a callback calls: the throw would skip the oracle's
     * clearInterval and the interval would run for ever (unwrapping a try can make such a scenario
     * out of a good one). {@code functions} are the bodies of the scenario's named functions.
     */
    static boolean terminates(List<Op> block, boolean inInterval, Map<String, List<Op>> functions) {
        for (Op op : block) {
            if (inInterval && (op instanceof Op.Throw || op instanceof Op.Emit)) return false;
            boolean ok = switch (op) {
                case Op.SetInterval i -> terminates(i.body(), true, functions);
                case Op.Try t ->
                    terminates(
                                    t.body(),
                                    inInterval && t.handler() == null,
                                    functions) // without a catch, a throw escapes
                            && (t.handler() == null
                                    || terminates(
                                            t.handler(), inInterval, functions)) // catch, finally: in the callback
                            && (t.finalizer() == null || terminates(t.finalizer(), inInterval, functions));
                // a function only calls functions defined before it (the generator's rule), so this ends;
                // the shrinker cannot make a call that was not there
                case Op.Call c -> !inInterval || terminates(functions.getOrDefault(c.fn(), List.of()), true, functions);
                default ->
                    op.blocks().values().stream()
                            .allMatch(b -> terminates(b, inInterval && Scenario.sameFunction(op), functions));
            };
            if (!ok) return false;
        }
        return true;
    }

    /** The bodies of the named functions defined anywhere in {@code block}. */
    static Map<String, List<Op>> functionBodies(List<Op> block) {
        Map<String, List<Op>> out = new HashMap<>();
        for (Op op : block) {
            if (op instanceof Op.DefineFunction f) out.put(f.id(), f.body());
            op.blocks().values().forEach(b -> out.putAll(functionBodies(b)));
        }
        return out;
    }

    /** Whether the op's "id" names what it creates (not a promise, timer or emitter it refers to). */
    private static boolean defines(Op op) {
        return op instanceof Op.MakesPromise
                || op instanceof Op.StartsTimer
                || op instanceof Op.Emitter
                || op instanceof Op.Listen
                || op instanceof Op.DefineFunction;
    }

    /** Whether an op refers to {@code id} (as a promise, resolver, emitter or timer), handlers' returns included. */
    private static boolean uses(JsonNode op, String id) {
        if (!defines(Op.of(op)) && id.equals(op.path("id").asText(null))) return true;
        for (String f : List.of("on", "promise", "emitter", "listener", "fn"))
            if (id.equals(op.path(f).asText(null))) return true;
        for (JsonNode item : op.path("of"))
            if (id.equals(item.asText(null)) || id.equals(item.path("promise").asText(null))) return true;
        for (JsonNode ret : List.of(
                op.path("return"),
                op.path("fulfilled").path("return"),
                op.path("rejected").path("return"))) {
            if (id.equals(ret.path("promise").asText(null))) return true;
        }
        return false;
    }

    /** Removes, at any depth, the ops matching {@code doomed} (and so everything nested in them). */
    private static void removeOps(JsonNode block, java.util.function.Predicate<JsonNode> doomed) {
        if (block == null || !block.isArray()) return;
        ArrayNode a = (ArrayNode) block;
        for (int i = a.size() - 1; i >= 0; i--) {
            JsonNode op = a.get(i);
            if (doomed.test(op)) {
                a.remove(i);
                continue;
            }
            for (String b : blockPointers(op)) removeOps(op.at(b), doomed);
        }
    }

    private static boolean idRequired(Op op) {
        RecordComponent id = Op.COMPONENTS.get(op.getClass()).get("id");
        return id != null && Op.required(id);
    }

    /** JSON pointers, relative to an op, of its blocks ("/do", "/fulfilled/do"...). */
    private static List<String> blockPointers(JsonNode op) {
        return Op.of(op).blocks().keySet().stream()
                .map(k -> "/" + k.replace('.', '/'))
                .toList();
    }

    /** Writes {@code replacement} in place of the op at {@code opPath}. */
    private static ObjectNode replace(ObjectNode s, String opPath, ObjectNode replacement) {
        ObjectNode c = s.deepCopy();
        JsonPointer op = JsonPointer.compile(opPath);
        ((ArrayNode) c.at(op.head())).set(Integer.parseInt(op.last().getMatchingProperty()), replacement);
        return c;
    }

    private static boolean isZero(JsonNode v) {
        return v.isIntegralNumber() && v.asLong() == 0;
    }

    private static ObjectNode edit(ObjectNode s, String opPath, Consumer<ObjectNode> change) {
        ObjectNode c = s.deepCopy();
        change.accept((ObjectNode) c.at(opPath));
        return c;
    }

    /** Replaces the op at {@code opPath} (in its parent block) by the ops of its block at {@code bodyPath}. */
    private static ObjectNode unwrap(ObjectNode s, String opPath, JsonPointer bodyPath) {
        ObjectNode c = s.deepCopy();
        JsonPointer op = JsonPointer.compile(opPath);
        ArrayNode parent = (ArrayNode) c.at(op.head());
        int index = Integer.parseInt(op.last().getMatchingProperty());
        ArrayNode body = (ArrayNode) c.at(bodyPath);
        parent.remove(index);
        for (int i = body.size() - 1; i >= 0; i--) parent.insert(index, body.get(i));
        return c;
    }

    /** The JSON pointers of every block (array of ops) and every op, outermost first. */
    private static void walk(JsonNode block, String path, List<String> blocks, List<String> ops) {
        if (block == null || !block.isArray()) return;
        blocks.add(path);
        for (int i = 0; i < block.size(); i++) {
            String p = path + "/" + i;
            JsonNode op = block.get(i);
            ops.add(p);
            for (String b : blockPointers(op)) walk(op.at(b), p + b, blocks, ops);
        }
    }

    /** (ops, JSON length, delays) — compared lexicographically. */
    static long[] measure(JsonNode s) {
        return new long[] {
            ScenarioGenerator.countOps(s.get("main")), s.get("main").toString().length(), delays(s.get("main"))
        };
    }

    private static long delays(JsonNode n) {
        long sum = 0;
        if (n.isObject()) {
            if (n.has("op") && n.has("ms")) sum += (long) Math.abs(n.get("ms").asDouble() * 10);
            if (n.has("times")) sum += n.get("times").asLong();
        }
        for (JsonNode c : n) sum += delays(c);
        return sum;
    }

    private static boolean smaller(long[] a, long[] b) {
        for (int i = 0; i < a.length; i++) if (a[i] != b[i]) return a[i] < b[i];
        return false;
    }

    // ------------------------------------------------------------------ canonical form

    /**
     * The same scenario with ids renamed in order of first appearance (p1.., e1.., t1..) and log
     * labels renumbered: two shrunk scenarios that differ only in names come out equal.
     */
    public static ObjectNode canonical(ObjectNode s) {
        ObjectNode c = s.deepCopy();
        Map<String, String> ids = new HashMap<>();
        int[] counters = new int[5]; // promises, emitters, timers, labels, functions
        Map<String, String> labels = new HashMap<>();
        canon(c.get("main"), ids, labels, counters);
        return c;
    }

    private static void canon(JsonNode n, Map<String, String> ids, Map<String, String> labels, int[] counters) {
        if (n.isArray()) {
            for (JsonNode x : n) canon(x, ids, labels, counters);
            return;
        }
        if (!n.isObject()) return;
        ObjectNode o = (ObjectNode) n;
        Op op = o.has("op") ? Op.of(o) : null; // else a handler, a return or an item
        if (op instanceof Op.Log log) {
            String msg = log.msg();
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("^L\\d+").matcher(msg);
            if (m.find()) {
                String l = labels.computeIfAbsent(m.group(), k -> "L" + (++counters[3]));
                o.put("msg", l + msg.substring(m.end()));
            }
        }
        for (String f : List.of("id", "on", "promise", "emitter", "fn")) {
            JsonNode v = o.get(f);
            if (v == null || !v.isTextual() || (f.equals("id") && op == null)) continue;
            String kind = switch (f) {
                case "emitter" -> "e";
                case "fn" -> "f";
                case "id" ->
                    switch (op) {
                        case Op.Emitter e -> "e";
                        case Op.DefineFunction d -> "f";
                        case Op.StartsTimer t -> "t";
                        case Op.NamesTimer t -> "t";
                        default -> "p";
                    };
                default -> "p";
            };
            o.set(f, new TextNode(rename(ids, kind, v.textValue(), counters)));
        }
        if (o.has("of")) {
            ArrayNode of = (ArrayNode) o.get("of");
            for (int i = 0; i < of.size(); i++) {
                if (of.get(i).isTextual())
                    of.set(i, new TextNode(rename(ids, "p", of.get(i).textValue(), counters)));
                else canon(of.get(i), ids, labels, counters);
            }
        }
        for (String f : List.of("do", "catch", "finally", "then", "else", "fulfilled", "rejected", "return")) {
            if (o.has(f)) canon(o.get(f), ids, labels, counters);
        }
    }

    private static String rename(Map<String, String> ids, String kind, String id, int[] counters) {
        int slot = kind.equals("p") ? 0 : kind.equals("e") ? 1 : kind.equals("f") ? 4 : 2;
        return ids.computeIfAbsent(kind + ":" + id, k -> kind + (++counters[slot]));
    }

    // ------------------------------------------------------------------ the fuzzer's test

    /**
     * Node stable on the candidate, and {@code runtime} still logs something else (or fails).
     * Candidates are renamed {@code shrink-N} so a batch can go to Node in one call.
     */
    public static Test differential(NodeOracle oracle, RuntimeCheck check, String runtime) {
        int[] counter = {0};
        return cands -> {
            List<ObjectNode> named = new ArrayList<>();
            for (ObjectNode c : cands) {
                c.put("name", "shrink-" + (++counter[0]));
                named.add(c);
            }
            Map<String, NodeOracle.Verdict> verdicts = oracle.check(named);
            for (int i = 0; i < named.size(); i++) {
                NodeOracle.Verdict v = verdicts.get(named.get(i).get("name").asText());
                if (v == null || !v.usable()) continue;
                if (check.run(named.get(i), runtime, v.log()).outcome() == RuntimeCheck.Outcome.MISMATCH) return i;
            }
            return -1;
        };
    }
}
