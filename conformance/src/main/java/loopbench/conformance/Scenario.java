package loopbench.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A scenario file (../shared/conformance/SCENARIOS.md), parsed and checked before anything runs:
 * every op known, every field of the right type, {@code await} only in an async body, every id
 * defined somewhere in the file. An error names the file, the op's path and what is allowed.
 */
public record Scenario(String name, String description, JsonNode main, List<String> expected, Path file) {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The longest busy-wait a {@code cpu} op may ask for: a third of the runner's time limit. */
    public static final int MAX_CPU_MS = 10_000;

    /** Op name → required fields (a '?' suffix marks optional ones, which are not listed here). */
    private static final Map<String, List<String>> REQUIRED = Map.ofEntries(
            Map.entry("log", List.of("msg")), Map.entry("cpu", List.of("ms")),
            Map.entry("setTimeout", List.of("ms", "do")), Map.entry("setInterval", List.of("ms", "times", "do")),
            Map.entry("setImmediate", List.of("do")), Map.entry("clearTimeout", List.of("id")),
            Map.entry("clearInterval", List.of("id")), Map.entry("clearImmediate", List.of("id")),
            Map.entry("nextTick", List.of("do")), Map.entry("queueMicrotask", List.of("do")),
            Map.entry("io", List.of("do")), Map.entry("newPromise", List.of("id", "do")),
            Map.entry("resolve", List.of("id")), Map.entry("reject", List.of("id", "value")),
            Map.entry("resolved", List.of("id")), Map.entry("rejected", List.of("id", "value")),
            Map.entry("then", List.of("on")), Map.entry("catch", List.of("on", "do")),
            Map.entry("finally", List.of("on", "do")), Map.entry("all", List.of("of")),
            Map.entry("allSettled", List.of("of")), Map.entry("race", List.of("of")), Map.entry("any", List.of("of")),
            Map.entry("async", List.of("do")), Map.entry("await", List.of()), Map.entry("try", List.of("do", "catch")),
            Map.entry("throw", List.of("value")), Map.entry("emitter", List.of("id")),
            Map.entry("on", List.of("emitter", "event", "do")), Map.entry("once", List.of("emitter", "event", "do")),
            Map.entry("prependListener", List.of("emitter", "event", "do")), Map.entry("off", List.of("emitter", "event")),
            Map.entry("emit", List.of("emitter", "event")));

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
        if (root == null || !root.isObject()) throw new ScenarioException(where + ": a scenario is a JSON object with \"name\" and \"main\"");
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
        Ids ids = new Ids();
        collect(main, ids);
        check(main, "main", false, ids, where);
        JsonNode d = root.get("description");
        return new Scenario(name.textValue(), d == null ? null : d.asText(), main, expected, file);
    }

    private static final class Ids {
        final Set<String> promises = new HashSet<>(), resolvers = new HashSet<>(), emitters = new HashSet<>(),
                timers = new HashSet<>();
    }

    /** Every id the file defines anywhere: references are checked against these up front. */
    private static void collect(JsonNode node, Ids ids) {
        if (node.isArray()) {
            for (JsonNode n : node) collect(n, ids);
            return;
        }
        if (!node.isObject()) return;
        JsonNode op = node.get("op");
        JsonNode id = node.get("id");
        if (op != null && op.isTextual() && id != null && id.isTextual()) {
            switch (op.textValue()) {
                case "newPromise" -> {
                    ids.promises.add(id.textValue());
                    ids.resolvers.add(id.textValue());
                }
                case "resolved", "rejected", "then", "catch", "finally", "all", "allSettled", "race", "any", "async" ->
                        ids.promises.add(id.textValue());
                case "emitter" -> ids.emitters.add(id.textValue());
                case "setTimeout", "setInterval", "setImmediate" -> ids.timers.add(id.textValue());
                default -> { }
            }
        }
        node.forEach(child -> collect(child, ids));
    }

    private static void check(JsonNode block, String path, boolean inAsync, Ids ids, String file) {
        if (!block.isArray()) throw new ScenarioException(file + ": " + path + " must be an array of ops");
        for (int i = 0; i < block.size(); i++) checkOp(block.get(i), path + "[" + i + "]", inAsync, ids, file);
    }

    private static void checkOp(JsonNode op, String path, boolean inAsync, Ids ids, String file) {
        String at = file + ": " + path;
        if (!op.isObject() || !op.has("op") || !op.get("op").isTextual()) {
            throw new ScenarioException(at + ": an op is an object with a string \"op\" field");
        }
        String name = op.get("op").textValue();
        List<String> required = REQUIRED.get(name);
        if (required == null) {
            throw new ScenarioException(at + ": unknown op '" + name + "' (allowed: "
                    + String.join(", ", new java.util.TreeSet<>(REQUIRED.keySet())) + ")");
        }
        for (String f : required) {
            if (!op.has(f)) throw new ScenarioException(at + ": op '" + name + "' needs field \"" + f + "\"");
        }
        switch (name) {
            case "cpu", "setTimeout", "setInterval" -> {
                if (!op.get("ms").isNumber()) throw new ScenarioException(at + ": \"ms\" must be a number");
                if (name.equals("cpu") && op.get("ms").asDouble() > MAX_CPU_MS) {
                    throw new ScenarioException(at + ": \"ms\" of cpu must be at most " + MAX_CPU_MS + ", got " + op.get("ms"));
                }
                JsonNode times = op.get("times");
                if (name.equals("setInterval") && !(times.canConvertToExactIntegral() && times.canConvertToInt() && times.asInt() >= 1)) {
                    throw new ScenarioException(at + ": \"times\" must be an integer >= 1, got " + times);
                }
            }
            case "await" -> {
                if (!inAsync) throw new ScenarioException(at + ": await outside an async body");
                if (!op.has("promise") && !op.has("value")) throw new ScenarioException(at + ": await needs \"promise\" or \"value\"");
            }
            case "resolve", "resolved" -> {
                if (!op.has("promise") && !op.has("value")) {
                    throw new ScenarioException(at + ": '" + name + "' needs \"value\" or \"promise\"");
                }
            }
            default -> { }
        }
        if (name.equals("resolve") || name.equals("reject")) ref(ids.resolvers, op.get("id"), "resolver", at);
        if (name.startsWith("clear")) ref(ids.timers, op.get("id"), "timer", at);
        if (op.has("on")) ref(ids.promises, op.get("on"), "promise", at);
        if (op.has("promise") && !op.get("promise").isNull()) ref(ids.promises, op.get("promise"), "promise", at);
        if (op.has("emitter")) ref(ids.emitters, op.get("emitter"), "emitter", at);
        if (op.has("of")) {
            if (!op.get("of").isArray()) throw new ScenarioException(at + ": \"of\" must be an array");
            for (JsonNode item : op.get("of")) {
                if (item.isTextual()) ref(ids.promises, item, "promise", at);
                else if (!item.isObject() || !(item.has("value") || item.has("promise"))) {
                    throw new ScenarioException(at + ": items of \"of\" are promise ids or {\"value\": V}");
                } else if (item.has("promise")) ref(ids.promises, item.get("promise"), "promise", at);
            }
        }
        checkReturn(op.get("return"), at, ids);
        switch (name) {
            case "async" -> check(op.get("do"), path + ".do", true, ids, file);
            case "try" -> {
                check(op.get("do"), path + ".do", inAsync, ids, file);
                check(op.get("catch"), path + ".catch", inAsync, ids, file);
            }
            case "then" -> {
                for (String h : List.of("fulfilled", "rejected")) {
                    JsonNode handler = op.get(h);
                    if (handler == null || handler.isNull()) continue;
                    if (!handler.isObject()) throw new ScenarioException(at + ": \"" + h + "\" must be {\"do\": [...], \"return\": ...}");
                    check(handler.has("do") ? handler.get("do") : JSON.createArrayNode(), path + "." + h + ".do", false, ids, file);
                    checkReturn(handler.get("return"), at + "." + h, ids);
                }
            }
            default -> {
                if (op.has("do")) check(op.get("do"), path + ".do", false, ids, file);
            }
        }
    }

    private static void checkReturn(JsonNode ret, String at, Ids ids) {
        if (ret == null || ret.isNull()) return;
        if (!ret.isObject() || !(ret.has("value") || ret.has("promise") || ret.has("throw"))) {
            throw new ScenarioException(at + ": \"return\" is {\"value\": V}, {\"promise\": ID} or {\"throw\": V}");
        }
        if (ret.has("promise")) ref(ids.promises, ret.get("promise"), "promise", at);
    }

    private static void ref(Set<String> defined, JsonNode id, String kind, String at) {
        if (id == null || !id.isTextual()) throw new ScenarioException(at + ": the " + kind + " id must be a string");
        if (!defined.contains(id.textValue())) {
            throw new ScenarioException(at + ": unknown " + kind + " '" + id.textValue() + "' (no op in the file defines it)");
        }
    }
}
