package loopbench.conformance;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scenario file (conformance/SCENARIOS.md), parsed and checked before anything runs:
 * every op known, every field of the right type, {@code await} only in an async body, every id
 * defined somewhere in the file. An error names the file, the op's path and what is allowed.
 *
 * <p>Two passes: the JSON's shape is checked against the {@link Op} records (so that an error can
 * say where and what is allowed, which Jackson's own messages cannot), Jackson builds the records,
 * and then the records' meaning is checked (ranges, where {@code await} may stand, ids).
 */
public record Scenario(String name, String description, List<Op> main, List<String> expected, Path file) {
    static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final TypeReference<List<Op>> OPS = new TypeReference<>() {};

    public static Scenario load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ScenarioException(file + ": cannot read: " + e.getMessage());
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (StreamConstraintsException e) { // nesting or a string beyond Jackson's limits: no location
            throw new ScenarioException(file + ": beyond the JSON parser's limits: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ScenarioException(file + ": not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
        }
        return parse(root, file);
    }

    public static Scenario parse(JsonNode root, Path file) {
        String where = String.valueOf(file);
        if (root == null || !root.isObject())
            throw new ScenarioException(where + ": a scenario is a JSON object with \"name\" and \"main\"");
        JsonNode name = root.get("name");
        if (name == null || !name.isTextual() || name.textValue().isBlank()) {
            throw new ScenarioException(where + ": \"name\" must be a non-empty string");
        }
        JsonNode main = root.get("main");
        if (main == null || !main.isArray()) throw new ScenarioException(where + ": \"main\" must be an array of ops");
        List<String> expected = null;
        JsonNode exp = root.get("expected");
        if (exp != null && !exp.isNull()) {
            if (!exp.isArray()) throw new ScenarioException(where + ": \"expected\" must be an array of strings");
            expected = new ArrayList<>();
            for (JsonNode e : exp) {
                if (!e.isTextual()) throw new ScenarioException(where + ": \"expected\" must be an array of strings");
                expected.add(e.textValue());
            }
        }
        shapeOfBlock(main, "main", where);
        List<Op> ops;
        try {
            ops = JSON.convertValue(main, OPS);
        } catch (IllegalArgumentException e) { // the shape check should have caught it: still an error for this file
            throw new ScenarioException(where + ": " + e.getMessage());
        }
        Ids ids = new Ids();
        collect(ops, ids);
        check(ops, "main", false, ids, where);
        JsonNode d = root.get("description");
        return new Scenario(name.textValue(), d == null ? null : d.asText(), ops, expected, file);
    }

    /** The scenario as JSON, in the file format (for Node and for files). */
    public static ObjectNode toJson(String name, String description, List<Op> main) {
        ObjectNode root = JSON.createObjectNode();
        root.put("name", name);
        if (description != null) root.put("description", description);
        root.set("main", toJson(main));
        return root;
    }

    /** Ops as JSON (each through its own class, so that Jackson writes its "op" name). */
    public static ArrayNode toJson(List<Op> ops) {
        ArrayNode a = JSON.createArrayNode();
        for (Op op : ops) a.add(op.toJson());
        return a;
    }

    // ------------------------------------------------------------------ shape: JSON against the records

    private static void shapeOfBlock(JsonNode block, String path, String file) {
        if (!block.isArray()) throw new ScenarioException(file + ": " + path + " must be an array of ops");
        for (int i = 0; i < block.size(); i++) shapeOfOp(block.get(i), path + "[" + i + "]", file);
    }

    private static void shapeOfOp(JsonNode op, String path, String file) {
        String at = file + ": " + path;
        if (!op.isObject() || !op.has("op") || !op.get("op").isTextual()) {
            throw new ScenarioException(at + ": an op is an object with a string \"op\" field");
        }
        String name = op.get("op").textValue();
        Class<? extends Op> type = Op.BY_NAME.get(name);
        if (type == null)
            throw new ScenarioException(at + ": unknown op '" + name + "' (allowed: " + Op.allowed() + ")");
        for (Map.Entry<String, RecordComponent> e : Op.COMPONENTS.get(type).entrySet()) {
            String field = e.getKey();
            JsonNode v = op.get(field);
            if (v == null && Op.required(e.getValue())) {
                throw new ScenarioException(at + ": op '" + name + "' needs field \"" + field + "\"");
            }
            if (v != null) shapeOfField(e.getValue(), field, v, path, file);
        }
    }

    private static void shapeOfField(RecordComponent c, String field, JsonNode v, String path, String file) {
        String at = file + ": " + path + ": \"" + field + "\"";
        Class<?> t = c.getType();
        if (t == JsonNode.class || (v.isNull() && !Op.required(c)))
            return; // any value; an optional field's null means absent
        if (t == String.class && !v.isTextual()) throw new ScenarioException(at + " must be a string");
        if (t == double.class && !v.isNumber()) throw new ScenarioException(at + " must be a number");
        if (t == Boolean.class && !v.isBoolean()) throw new ScenarioException(at + " must be true or false, got " + v);
        if (t == int.class && !(v.isNumber() && v.canConvertToExactIntegral() && v.canConvertToInt())) {
            throw new ScenarioException(at + " must be an integer, got " + v);
        }
        if (Op.isBlock(c)) shapeOfBlock(v, path + "." + field, file);
        if (t == Op.Handler.class) {
            if (!v.isObject()) throw new ScenarioException(at + " must be {\"do\": [...], \"return\": ...}");
            if (v.has("do")) shapeOfBlock(v.get("do"), path + "." + field + ".do", file);
            if (v.has("return")) shapeOfReturn(v.get("return"), file + ": " + path + "." + field);
        }
        if (t == Op.Return.class) shapeOfReturn(v, file + ": " + path);
        if (t == Op.Cond.class) shapeOfCond(v, file + ": " + path + ".cond");
        if (t == List.class && c.getName().equals("args") && !v.isArray())
            throw new ScenarioException(at + " must be an array of values");
        if (t == List.class && c.getName().equals("of")) { // a combinator's items
            if (!v.isArray()) throw new ScenarioException(at + " must be an array");
            for (JsonNode item : v) {
                boolean ok = item.isTextual()
                        || (item.isObject()
                                && (item.has("value") || item.path("promise").isTextual()));
                if (!ok) throw new ScenarioException(at + ": items are promise ids or {\"value\": V}");
            }
        }
    }

    private static void shapeOfReturn(JsonNode ret, String at) {
        if (!ret.isObject()
                || !(ret.has("value") || ret.has("promise") || ret.has("throw"))
                || ret.has("promise") && !ret.get("promise").isTextual()) {
            throw new ScenarioException(at + ": \"return\" is {\"value\": V}, {\"promise\": ID} or {\"throw\": V}");
        }
    }

    private static void shapeOfCond(JsonNode cond, String at) {
        String allowed = "a condition is {\"var\": COUNTER, CMP: INTEGER} with CMP one of "
                + String.join(", ", Op.Cond.COMPARISONS) + ", or {\"var\": \"$v\", \"eq\" or \"ne\": V}";
        if (!cond.isObject() || !cond.path("var").isTextual()) throw new ScenarioException(at + ": " + allowed);
        List<String> cmps = Op.Cond.COMPARISONS.stream().filter(cond::has).toList();
        if (cmps.size() != 1)
            throw new ScenarioException(
                    at + ": exactly one comparison, got " + (cmps.isEmpty() ? "none" : cmps) + " (" + allowed + ")");
        String var = cond.get("var").textValue();
        String cmp = cmps.get(0);
        JsonNode right = cond.get(cmp);
        if (var.equals("$v") || var.equals("$w")) {
            if (!cmp.equals("eq") && !cmp.equals("ne"))
                throw new ScenarioException(
                        at + ": " + var + " compares by text, with \"eq\" or \"ne\" only, got \"" + cmp + "\"");
        } else if (!(right.isIntegralNumber() && right.canConvertToInt()))
            throw new ScenarioException(at + ": counter '" + var + "' compares with an integer, got " + right);
    }

    // ------------------------------------------------------------------ meaning: the records

    private static final class Ids {
        final Set<String> promises = new HashSet<>(),
                resolvers = new HashSet<>(),
                emitters = new HashSet<>(),
                timers = new HashSet<>(),
                listeners = new HashSet<>(),
                counters = new HashSet<>(),
                functions = new HashSet<>();
    }

    /** Every id the file defines anywhere: references are checked against these up front. */
    private static void collect(List<Op> block, Ids ids) {
        for (Op op : block) {
            switch (op) {
                case Op.NewPromise p -> {
                    ids.promises.add(p.id());
                    ids.resolvers.add(p.id());
                }
                case Op.Thenable t -> {
                    ids.promises.add(t.id());
                    ids.resolvers.add(t.id()); // once its then has been called
                }
                case Op.Listen l when l.id() != null -> ids.listeners.add(l.id());
                case Op.MakesPromise p when p.id() != null -> ids.promises.add(p.id());
                case Op.Emitter e -> ids.emitters.add(e.id());
                case Op.Let l -> ids.counters.add(l.counter());
                case Op.DefineFunction f -> ids.functions.add(f.id());
                case Op.StartsTimer t when t.id() != null -> ids.timers.add(t.id());
                default -> {}
            }
            op.blocks().values().forEach(b -> collect(b, ids));
        }
    }

    private static void check(List<Op> block, String path, boolean inAsync, Ids ids, String file) {
        for (int i = 0; i < block.size(); i++) checkOp(block.get(i), path + "[" + i + "]", inAsync, ids, file);
    }

    private static void checkOp(Op op, String path, boolean inAsync, Ids ids, String file) {
        String at = file + ": " + path;
        switch (op) {
            case Op.Cpu c
            when c.ms() > Op.Cpu.MAX_MS ->
                throw new ScenarioException(at + ": \"ms\" of cpu must be at most " + Op.Cpu.MAX_MS
                        + " (the runner's time limit is " + ScenarioRunner.DEFAULT_LIMIT.toMillis() + " ms), got "
                        + BigDecimal.valueOf(c.ms()).toPlainString());
            case Op.SetInterval s
            when s.times() < 1 ->
                throw new ScenarioException(at + ": \"times\" must be an integer >= 1, got " + s.times());
            case Op.Await a when !inAsync -> throw new ScenarioException(at + ": await outside an async body");
            case Op.ForAwaitInterval f
            when !inAsync ->
                throw new ScenarioException(
                        at + ": forAwaitInterval outside an async body (for await may stand"
                                + " where await may: in an async op's do, and in the try and forAwaitInterval blocks inside it)");
            case Op.ForAwaitInterval f
            when f.times() < 1 ->
                throw new ScenarioException(at + ": \"times\" must be an integer >= 1, got " + f.times());
            case Op.ReturnStatement r
            when r.promise() != null && r.value() != null ->
                throw new ScenarioException(at + ": return takes \"value\" or \"promise\", not both");
            case Op.ReturnStatement r when r.promise() != null -> ref(ids.promises, r.promise(), "promise", at);
            case Op.Resolve r -> ref(ids.resolvers, r.id(), "resolver", at);
            case Op.Reject r -> ref(ids.resolvers, r.id(), "resolver", at);
            case Op.NamesTimer c -> ref(ids.timers, c.id(), "timer", at);
            case Op.Then t -> {
                ref(ids.promises, t.on(), "promise", at);
                for (Op.Handler h : new Op.Handler[] {t.fulfilled(), t.rejected()})
                    if (h != null) checkReturn(h.ret(), at, ids);
            }
            case Op.Catch c -> {
                ref(ids.promises, c.on(), "promise", at);
                checkReturn(c.ret(), at, ids);
            }
            case Op.Finally f -> {
                ref(ids.promises, f.on(), "promise", at);
                checkReturn(f.ret(), at, ids);
            }
            case Op.Async a -> checkReturn(a.ret(), at, ids);
            case Op.Combinator c -> {
                for (Op.Item item : c.of())
                    if (item.promise() != null) ref(ids.promises, item.promise(), "promise", at);
            }
            case Op.Try t
            when t.handler() == null && t.finalizer() == null ->
                throw new ScenarioException(at + ": try needs \"catch\", \"finally\" or both");
            case Op.Emit e
            when e.value() != null && e.args() != null ->
                throw new ScenarioException(
                        at + ": emit takes \"value\" (one argument) or \"args\" (several), not both");
            case Op.SetMaxListeners m
            when m.n() < 0 -> throw new ScenarioException(at + ": \"n\" must be >= 0 (0 is unlimited), got " + m.n());
            case Op.ProcessOn p
            when !Op.ProcessOn.EVENTS.contains(p.event()) ->
                throw new ScenarioException(at + ": unknown process event '" + p.event() + "' (allowed: "
                        + String.join(", ", Op.ProcessOn.EVENTS) + ")");
            case Op.RemoveListener r -> ref(ids.listeners, r.listener(), "listener", at);
            case Op.Let l
            when !IDENTIFIER.matcher(l.counter()).matches() ->
                throw new ScenarioException(at + ": counter name '" + l.counter()
                        + "' must be an identifier (a letter or _, then letters, digits or _)");
            case Op.Counts c -> counter(ids, c.counter(), at);
            case Op.If f when !f.cond().onBinding() -> counter(ids, f.cond().counter(), at + ".cond");
            case Op.Repeat r
            when r.times() < 0 || r.times() > Op.Repeat.MAX_TIMES ->
                throw new ScenarioException(
                        at + ": \"times\" of repeat must be 0.." + Op.Repeat.MAX_TIMES + ", got " + r.times());
            case Op.Call c
            when !ids.functions.contains(c.fn()) ->
                throw new ScenarioException(at + ": unknown function '" + c.fn() + "' (no function op in the file"
                        + " defines it; defined: " + known(ids.functions) + ")");
            case Op.Log l -> {
                Matcher m = COUNTER_IN_LOG.matcher(l.msg());
                while (m.find()) counter(ids, m.group(1), at + ": \"msg\" reads ${" + m.group(1) + "}");
            }
            default -> {}
        }
        if (op instanceof Op.OnEmitter o) ref(ids.emitters, o.emitter(), "emitter", at);
        if (op instanceof Op.HasOperand o) {
            if (o.promise() == null && o.value() == null)
                throw new ScenarioException(at + ": '" + op.name() + "' needs \"value\" or \"promise\"");
            if (o.promise() != null) ref(ids.promises, o.promise(), "promise", at);
        }
        for (Map.Entry<String, List<Op>> b : op.blocks().entrySet()) {
            boolean async = op instanceof Op.Async || (inAsync && sameFunction(op));
            check(b.getValue(), path + "." + b.getKey(), async, ids, file);
        }
    }

    /** Whether an op's blocks are part of the function it is in (an await or a return there is that function's). */
    public static boolean sameFunction(Op op) {
        return op instanceof Op.Try
                || op instanceof Op.If
                || op instanceof Op.Repeat
                || op instanceof Op.ForAwaitInterval;
    }

    /** A counter's name: what {@code ${name}} in a log message reads. */
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** {@code ${name}} in a log message: the counter's value when the log runs. */
    public static final Pattern COUNTER_IN_LOG = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private static void counter(Ids ids, String name, String at) {
        if (!ids.counters.contains(name))
            throw new ScenarioException(at + ": unknown counter '" + name + "' (no let op in the file sets it; set: "
                    + known(ids.counters) + ")");
    }

    private static String known(Set<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", new TreeSet<>(names));
    }

    private static void checkReturn(Op.Return ret, String at, Ids ids) {
        if (ret != null && ret.promise() != null) ref(ids.promises, ret.promise(), "promise", at);
    }

    private static void ref(Set<String> defined, String id, String kind, String at) {
        if (!defined.contains(id))
            throw new ScenarioException(at + ": unknown " + kind + " '" + id + "' (no op in the file defines it)");
    }
}
