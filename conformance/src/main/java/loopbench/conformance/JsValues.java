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
        if (x instanceof String s) return s;
        if (x instanceof Long || x instanceof Boolean || x == NULL) return x.toString();
        if (x instanceof Double d) return number(d);
        return stringify(x);
    }

    /** JSON.stringify; {@code undefined} inside an array is null, inside an object the key is left out. */
    public static String stringify(Object x) {
        StringBuilder sb = new StringBuilder();
        write(sb, x);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object x) {
        if (x == null || x == NULL) {
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
        if (d == Math.rint(d) && Math.abs(d) < 1e21) return Long.toString((long) d);
        String s = Double.toString(d);
        return s.contains("E") ? s.replace("E", "e+").replace("e+-", "e-") : s;
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
