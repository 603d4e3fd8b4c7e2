package loopbench.conformance;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * A program's counters (SCENARIOS.md, "Counters and conditions"): one global namespace of integers, as
 * module-level {@code let} variables are, set by {@code let}, changed by {@code add}, read by
 * {@code ${name}} in a log message and by an {@code if}'s condition. Values stay JavaScript's safe
 * integers, so that a long holds what a Number would. A counter read before its {@code let} ran is an
 * error of the file, not a value. Accessed by the one thread that runs the program's JavaScript at a
 * time, as the runner's other maps are.
 */
final class Counters {
    /** {@code Number.MAX_SAFE_INTEGER}: beyond it a Number is no longer an exact integer. */
    static final long MAX_SAFE = (1L << 53) - 1;

    private final Map<String, Long> values = new HashMap<>();

    void let(String name, long value) {
        values.put(name, value);
    }

    void add(String name, long by) {
        long sum = get(name) + by;
        if (Math.abs(sum) > MAX_SAFE)
            throw new ScenarioException(
                    "counter '" + name + "' left the safe integers (|n| <= 2^53-1), where a Number stops counting");
        values.put(name, sum);
    }

    long get(String name) {
        Long v = values.get(name);
        if (v == null) throw new ScenarioException("counter '" + name + "' used before its let ran");
        return v;
    }

    /** {@code msg} with each {@code ${name}} replaced by that counter's value now. */
    String substitute(String msg) {
        if (!msg.contains("${")) return msg;
        Matcher m = Scenario.COUNTER_IN_LOG.matcher(msg);
        return m.replaceAll(r -> Matcher.quoteReplacement(Long.toString(get(r.group(1)))));
    }

    /**
     * Whether an if's condition holds: a counter against an integer, or the text of {@code $v}
     * ({@code a}) or {@code $w} ({@code b}) against the text of a value.
     */
    boolean holds(Op.Cond c, Object a, Object b) {
        if (!c.onBinding())
            return Op.Cond.holds(c.comparison(), get(c.counter()), c.operand().longValue());
        Object left = c.counter().equals("$v") ? a : b;
        boolean same = JsValues.text(left).equals(JsValues.text(JsValues.fromJson(c.operand())));
        return c.comparison().equals("eq") == same;
    }
}
