package loopbench.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import loopbench.core.AggregateError;
import loopbench.core.EventEmitter;
import loopbench.core.Settled;

/**
 * Scenario values as JavaScript sees them. Java {@code null} is {@code undefined}; JSON null is
 * {@link #NULL}; numbers are Long or Double; arrays are Lists; objects are ordered Maps.
 * {@link #text} is the oracle's {@code S()}: String() for primitives, JSON.stringify for objects.
 */
public final class JsValues {
    /** JavaScript's {@code null} (Java null stands for {@code undefined}). */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** The key that makes a JSON object an Error: {@code {"$error": "TypeError", "message": M}}. */
    public static final String ERROR = "$error";

    private JsValues() {}

    public static Object fromJson(JsonNode n) {
        if (n == null || n.isMissingNode()) return null;
        if (n.isNull()) return NULL;
        if (n.isTextual()) return n.textValue();
        if (n.isBoolean()) return n.booleanValue();
        if (n.isIntegralNumber() && n.canConvertToLong()) return n.longValue();
        if (n.isNumber()) return n.doubleValue();
        if (n.isArray()) {
            List<Object> list = new ArrayList<>();
            for (JsonNode e : n) list.add(fromJson(e));
            return list;
        }
        if (n.has(ERROR))
            return new JsError(n.get(ERROR).asText(), n.path("message").asText(""));
        Map<String, Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            map.put(e.getKey(), fromJson(e.getValue()));
        }
        return map;
    }

    /** The oracle's S(x). */
    public static String text(Object x) {
        if (x == null) return "undefined";
        if (x instanceof AggregateError a) return "AggregateError:" + stringify(a.errors());
        if (x instanceof Throwable t) return errorText(t);
        if (x instanceof Listener l) return l.text();
        if (x instanceof EventEmitter.Once o) return "once:" + text(o.listener());
        if (x instanceof String s) return s;
        if (x instanceof Long || x instanceof Boolean || x == NULL || x == EventEmitter.ERROR_MONITOR)
            return x.toString(); // the symbol: String(symbol) is Symbol(events.errorMonitor)
        if (x instanceof Double d) return number(d);
        return stringify(x);
    }

    /** A function the scenario named: its text is {@code fn:ID} (a JavaScript function prints its source). */
    public interface Listener {
        String id();

        default String text() {
            return "fn:" + (id() == null ? "anonymous" : id());
        }
    }

    /** JavaScript's {@code String(error)}: {@code Name: message}, Node's own errors with their code. */
    private static String errorText(Throwable t) {
        return switch (t) {
            case JsError e -> e.toString();
            case loopbench.core.Promise.TypeError e -> "TypeError: " + e.getMessage();
            case loopbench.core.Warning w -> w.toString();
            case EventEmitter.UnhandledErrorEvent u ->
                "Error [" + u.code() + "]: Unhandled error. (" + inspect(u.context()) + ")";
            default -> "Error: " + t.getMessage();
        };
    }

    /** Node's {@code util.inspect} for the small values a scenario holds (one line). */
    static String inspect(Object x) {
        if (x instanceof String s) return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
        if (x instanceof List<?> list) {
            if (list.isEmpty()) return "[]";
            StringBuilder sb = new StringBuilder("[ ");
            for (int i = 0; i < list.size(); i++) sb.append(i > 0 ? ", " : "").append(inspect(list.get(i)));
            return sb.append(" ]").toString();
        }
        if (x instanceof Map<?, ?> map) {
            if (map.isEmpty()) return "{}";
            StringBuilder sb = new StringBuilder("{ ");
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String k = String.valueOf(e.getKey());
                sb.append(first ? "" : ", ")
                        .append(k.matches("[A-Za-z_$][A-Za-z0-9_$]*") ? k : inspect(k))
                        .append(": ")
                        .append(inspect(e.getValue()));
                first = false;
            }
            return sb.append(" }").toString();
        }
        return text(x);
    }

    /** JSON.stringify; {@code undefined} inside an array is null, inside an object the key is left out. */
    public static String stringify(Object x) {
        StringBuilder sb = new StringBuilder();
        write(sb, x);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object x) {
        if (x == null || x == NULL || x == EventEmitter.ERROR_MONITOR) { // JSON.stringify([symbol]) is [null]
            sb.append("null");
        } else if (x instanceof String s) {
            quote(sb, s);
        } else if (x instanceof Long || x instanceof Boolean) {
            sb.append(x);
        } else if (x instanceof Double d) {
            sb.append(d.isNaN() || d.isInfinite() ? "null" : number(d));
        } else if (x instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) sb.append(',');
                write(sb, list.get(i));
            }
            sb.append(']');
        } else if (x instanceof Map<?, ?> map) {
            Map<String, Object> m = new LinkedHashMap<>();
            map.forEach((k, v) -> m.put(String.valueOf(k), v));
            object(sb, m);
        } else if (x instanceof Settled s) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", s.status());
            if (s.fulfilled()) m.put(s.value() == null ? null : "value", s.value());
            else m.put(s.reason() == null ? null : "reason", s.reason());
            m.remove(null);
            object(sb, m);
        } else if (x instanceof EventEmitter.UnhandledErrorEvent u) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", "ERR_UNHANDLED_ERROR");
            if (u.context() != null) m.put("context", u.context());
            object(sb, m);
        } else {
            sb.append("{}"); // an Error object: no own enumerable properties
        }
    }

    private static void object(StringBuilder sb, Map<String, Object> m) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (e.getValue() == null) continue; // undefined: left out
            if (!first) sb.append(',');
            first = false;
            quote(sb, e.getKey());
            sb.append(':');
            write(sb, e.getValue());
        }
        sb.append('}');
    }

    private static String number(double d) {
        return loopbench.core.JsNumber.toString(d);
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
