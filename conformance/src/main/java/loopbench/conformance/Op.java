package loopbench.conformance;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonSubTypes.Type;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One op of a scenario (conformance/SCENARIOS.md, "Operations"): one record per op, named in JSON by its
 * {@code "op"} field through the {@link JsonSubTypes} table below, which is the only list of op
 * names. A component marked {@code required} must be present; the others may be absent (Java
 * null). {@code "do"}, {@code "catch"}, {@code "return"} and {@code "throw"} are Java keywords, so
 * those components are named {@code body}, {@code handler}, {@code ret} and {@code thrown}.
 * Values ({@code V}) stay JSON: {@link JsValues#fromJson} turns them into JavaScript values.
 *
 * <p>{@link Scenario} checks a file against these records before Jackson builds them, so that an
 * error names the op's path and what is allowed.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
    @Type(value = Op.Log.class, name = "log"),
    @Type(value = Op.Cpu.class, name = "cpu"),
    @Type(value = Op.SetTimeout.class, name = "setTimeout"),
    @Type(value = Op.SetInterval.class, name = "setInterval"),
    @Type(value = Op.SetImmediate.class, name = "setImmediate"),
    @Type(value = Op.ClearTimeout.class, name = "clearTimeout"),
    @Type(value = Op.ClearInterval.class, name = "clearInterval"),
    @Type(value = Op.ClearImmediate.class, name = "clearImmediate"),
    @Type(value = Op.SetTimeoutPromise.class, name = "setTimeoutPromise"),
    @Type(value = Op.SetImmediatePromise.class, name = "setImmediatePromise"),
    @Type(value = Op.ForAwaitInterval.class, name = "forAwaitInterval"),
    @Type(value = Op.Ref.class, name = "ref"),
    @Type(value = Op.Unref.class, name = "unref"),
    @Type(value = Op.NextTick.class, name = "nextTick"),
    @Type(value = Op.QueueMicrotask.class, name = "queueMicrotask"),
    @Type(value = Op.Io.class, name = "io"),
    @Type(value = Op.NewPromise.class, name = "newPromise"),
    @Type(value = Op.Resolve.class, name = "resolve"),
    @Type(value = Op.Reject.class, name = "reject"),
    @Type(value = Op.Resolved.class, name = "resolved"),
    @Type(value = Op.Rejected.class, name = "rejected"),
    @Type(value = Op.Then.class, name = "then"),
    @Type(value = Op.Catch.class, name = "catch"),
    @Type(value = Op.Finally.class, name = "finally"),
    @Type(value = Op.All.class, name = "all"),
    @Type(value = Op.AllSettled.class, name = "allSettled"),
    @Type(value = Op.Race.class, name = "race"),
    @Type(value = Op.Any.class, name = "any"),
    @Type(value = Op.Async.class, name = "async"),
    @Type(value = Op.Await.class, name = "await"),
    @Type(value = Op.Try.class, name = "try"),
    @Type(value = Op.Throw.class, name = "throw"),
    @Type(value = Op.Emitter.class, name = "emitter"),
    @Type(value = Op.On.class, name = "on"),
    @Type(value = Op.Once.class, name = "once"),
    @Type(value = Op.PrependListener.class, name = "prependListener"),
    @Type(value = Op.Off.class, name = "off"),
    @Type(value = Op.Emit.class, name = "emit"),
    @Type(value = Op.Thenable.class, name = "thenable"),
    @Type(value = Op.PrependOnceListener.class, name = "prependOnceListener"),
    @Type(value = Op.RemoveListener.class, name = "removeListener"),
    @Type(value = Op.RemoveAllListeners.class, name = "removeAllListeners"),
    @Type(value = Op.SetMaxListeners.class, name = "setMaxListeners"),
    @Type(value = Op.ListenerCount.class, name = "listenerCount"),
    @Type(value = Op.EventNames.class, name = "eventNames"),
    @Type(value = Op.Refresh.class, name = "refresh"),
    @Type(value = Op.HasRef.class, name = "hasRef"),
    @Type(value = Op.ReturnStatement.class, name = "return"),
    @Type(value = Op.ProcessOn.class, name = "processOn"),
    @Type(value = Op.Let.class, name = "let"),
    @Type(value = Op.Add.class, name = "add"),
    @Type(value = Op.If.class, name = "if"),
    @Type(value = Op.Repeat.class, name = "repeat"),
    @Type(value = Op.DefineFunction.class, name = "function"),
    @Type(value = Op.Call.class, name = "call"),
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface Op {
    /** Op name → record class, from the table above. */
    Map<String, Class<? extends Op>> BY_NAME = Arrays.stream(
                    Op.class.getAnnotation(JsonSubTypes.class).value())
            .collect(
                    Collectors.toMap(Type::name, t -> t.value().asSubclass(Op.class), (a, b) -> a, LinkedHashMap::new));

    /** Record components by JSON name, for each op class. */
    Map<Class<?>, Map<String, RecordComponent>> COMPONENTS = BY_NAME.values().stream()
            .collect(Collectors.toMap(
                    Function.identity(),
                    c -> Arrays.stream(c.getRecordComponents())
                            .collect(Collectors.toMap(
                                    Op::jsonName, Function.identity(), (a, b) -> a, LinkedHashMap::new))));

    /** The op a JSON object describes, unchecked: {@link Scenario#parse} checks a whole file. */
    static Op of(JsonNode json) {
        try {
            return Scenario.JSON.treeToValue(json, Op.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an op: " + json, e);
        }
    }

    /** This op as JSON, its {@code "op"} name first. */
    default ObjectNode toJson() {
        return Scenario.JSON.valueToTree(this);
    }

    /** This op's name in JSON. */
    default String name() {
        return nameOf(getClass());
    }

    static String nameOf(Class<?> type) {
        for (Map.Entry<String, Class<? extends Op>> e : BY_NAME.entrySet()) if (e.getValue() == type) return e.getKey();
        throw new IllegalArgumentException(type + " is not an op");
    }

    /**
     * The JSON name of a record component: its {@link JsonProperty} name if it has one. (Jackson's
     * annotations do not target record components, so Java puts them on the accessor.)
     */
    static String jsonName(RecordComponent c) {
        JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
        return p != null && !p.value().isEmpty() ? p.value() : c.getName();
    }

    /** Whether a JSON file must give this component (an explicit null counts as absent for the others). */
    static boolean required(RecordComponent c) {
        JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
        return p != null && p.required();
    }

    /** Whether a record component is a block of ops ({@code List<Op>}). */
    static boolean isBlock(RecordComponent c) {
        return c.getGenericType() instanceof ParameterizedType t && t.getActualTypeArguments()[0] == Op.class;
    }

    /**
     * This op's blocks by JSON path suffix ({@code "do"}, {@code "catch"}, {@code "fulfilled.do"}...),
     * in declaration order; the ops in them run later or nested, never in this op's place.
     */
    default Map<String, List<Op>> blocks() {
        Map<String, List<Op>> out = new LinkedHashMap<>();
        for (RecordComponent c : getClass().getRecordComponents()) {
            Object v = get(c, this);
            if (isBlock(c) && v != null) out.put(jsonName(c), blockOf(v));
            if (v instanceof Handler h && h.body() != null) out.put(jsonName(c) + ".do", h.body());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Op> blockOf(Object v) {
        return (List<Op>) v;
    }

    private static Object get(RecordComponent c, Object record) {
        try {
            return c.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An op that may name the promise it creates. */
    sealed interface MakesPromise extends Op {
        String id();
    }

    /** An op that may name the timer or immediate it starts. */
    sealed interface StartsTimer extends Op {
        String id();
    }

    /** An op on a timer or an immediate started earlier, named by its id. */
    sealed interface NamesTimer extends Op {
        String id();
    }

    /** An op that cancels a timer or an immediate. */
    sealed interface ClearsTimer extends NamesTimer {}

    /** An op whose result is {@code P[promise]} or the value {@code value}. */
    sealed interface HasOperand extends Op {
        String promise();

        JsonNode value();
    }

    sealed interface Combinator extends MakesPromise {
        List<Item> of();
    }

    /** An op that adds a listener {@code (a, b) => {do}}; {@code id} names the function for {@code removeListener}. */
    sealed interface Listen extends OnEmitter {
        String emitter();

        String event();

        List<Op> body();

        String id();
    }

    /** An op on an existing emitter. */
    sealed interface OnEmitter extends Op {
        String emitter();
    }

    /** An op whose result binds {@code $v} for the ops after it in its block, as {@code await} does. */
    sealed interface Binds extends Op {}

    record Log(@JsonProperty(required = true) String msg) implements Op {}

    record Cpu(
            @JsonProperty(required = true) @JsonSerialize(using = Ms.class)
            double ms) implements Op {
        /** The longest busy-wait a {@code cpu} op may ask for: a third of the runner's time limit. */
        public static final int MAX_MS = 10_000;
    }

    record SetTimeout(
            @JsonProperty(required = true) @JsonSerialize(using = Ms.class)
            double ms,

            @JsonProperty(value = "do", required = true) List<Op> body,
            String id)
            implements StartsTimer {}

    record SetInterval(
            @JsonProperty(required = true) @JsonSerialize(using = Ms.class)
            double ms,

            @JsonProperty(required = true) int times,
            @JsonProperty(value = "do", required = true) List<Op> body,
            String id)
            implements StartsTimer {}

    record SetImmediate(
            @JsonProperty(value = "do", required = true) List<Op> body, String id) implements StartsTimer {}

    record ClearTimeout(@JsonProperty(required = true) String id) implements ClearsTimer {}

    record ClearInterval(@JsonProperty(required = true) String id) implements ClearsTimer {}

    record ClearImmediate(@JsonProperty(required = true) String id) implements ClearsTimer {}

    /**
     * An op of Node's {@code timers/promises}: {@code ref} false is the option {@code {ref: false}} (the
     * timer or immediate does not keep the loop alive); absent is Node's default, true.
     */
    sealed interface TimersPromise extends Op {
        Boolean ref();

        default boolean refed() {
            return ref() == null || ref();
        }
    }

    /** {@code P[id] = timersPromises.setTimeout(ms, value, {ref})}: fulfils with the value in the timers phase. */
    record SetTimeoutPromise(
            @JsonProperty(required = true) @JsonSerialize(using = Ms.class)
            double ms,

            JsonNode value,
            Boolean ref,
            String id)
            implements MakesPromise, TimersPromise {}

    /** {@code P[id] = timersPromises.setImmediate(value, {ref})}: fulfils with the value in the check phase. */
    record SetImmediatePromise(JsonNode value, Boolean ref, String id) implements MakesPromise, TimersPromise {}

    /**
     * {@code for await (const v of timersPromises.setInterval(ms, value, {ref})) {do; if (++n >= times) break;}},
     * only in an async body; {@code do} binds {@code $v} to the value and is part of that async body.
     */
    record ForAwaitInterval(
            @JsonProperty(required = true) @JsonSerialize(using = Ms.class)
            double ms,

            JsonNode value,
            @JsonProperty(required = true) int times,
            @JsonProperty(value = "do", required = true) List<Op> body,
            Boolean ref)
            implements TimersPromise {}

    /** {@code T[id].ref()}: the timer or immediate keeps the loop alive again. */
    record Ref(@JsonProperty(required = true) String id) implements NamesTimer {}

    /**
     * {@code T[id].unref()}: the timer or immediate no longer keeps the loop alive (it still runs while
     * the loop runs for something else).
     */
    record Unref(@JsonProperty(required = true) String id) implements NamesTimer {}

    /** {@code T[id].refresh()}: a timer (not an immediate) due its delay from now, the same handle. */
    record Refresh(@JsonProperty(required = true) String id) implements NamesTimer {}

    /** Binds {@code $v} to {@code T[id].hasRef()}, of a timer or an immediate. */
    record HasRef(@JsonProperty(required = true) String id) implements NamesTimer, Binds {}

    /**
     * {@code process.on(event, (a, b) => {do})}, after the program's own logging handlers: {@code $v}
     * is the first argument (the exit code, the error, the reason, rejectionHandled's promise), {@code $w}
     * the second.
     */
    record ProcessOn(
            @JsonProperty(required = true) String event,
            @JsonProperty(value = "do", required = true) List<Op> body) implements Op {
        /** The process events the format knows. */
        public static final List<String> EVENTS =
                List.of("beforeExit", "exit", "uncaughtException", "unhandledRejection", "rejectionHandled");
    }

    record NextTick(
            @JsonProperty(value = "do", required = true) List<Op> body) implements Op {}

    record QueueMicrotask(
            @JsonProperty(value = "do", required = true) List<Op> body) implements Op {}

    record Io(@JsonProperty(value = "do", required = true) List<Op> body) implements Op {}

    record NewPromise(
            @JsonProperty(required = true) String id,
            @JsonProperty(value = "do", required = true) List<Op> body) implements MakesPromise {}

    record Resolve(@JsonProperty(required = true) String id, String promise, JsonNode value) implements HasOperand {}

    /** Rejects with a value or with a promise: a promise reason is not adopted, it is the reason. */
    record Reject(@JsonProperty(required = true) String id, String promise, JsonNode value) implements HasOperand {}

    record Resolved(@JsonProperty(required = true) String id, String promise, JsonNode value)
            implements HasOperand, MakesPromise {}

    record Rejected(@JsonProperty(required = true) String id, String promise, JsonNode value)
            implements HasOperand, MakesPromise {}

    /**
     * {@code P[id] = {then(res, rej) {R[id] = {res, rej}; do}}}: a non-native thenable, usable wherever a
     * promise operand is (await, resolve, resolved, combinator items, return), not with then/catch/finally.
     */
    record Thenable(
            @JsonProperty(required = true) String id,
            @JsonProperty(value = "do", required = true) List<Op> body) implements MakesPromise {}

    record Then(@JsonProperty(required = true) String on, Handler fulfilled, Handler rejected, String id)
            implements MakesPromise {}

    record Catch(
            @JsonProperty(required = true) String on,
            @JsonProperty(value = "do", required = true) List<Op> body,
            @JsonProperty("return") Return ret,
            String id)
            implements MakesPromise {}

    record Finally(
            @JsonProperty(required = true) String on,
            @JsonProperty(value = "do", required = true) List<Op> body,
            @JsonProperty("return") Return ret,
            String id)
            implements MakesPromise {}

    record All(@JsonProperty(required = true) List<Item> of, String id) implements Combinator {}

    record AllSettled(@JsonProperty(required = true) List<Item> of, String id) implements Combinator {}

    record Race(@JsonProperty(required = true) List<Item> of, String id) implements Combinator {}

    record Any(@JsonProperty(required = true) List<Item> of, String id) implements Combinator {}

    record Async(
            @JsonProperty(value = "do", required = true) List<Op> body,
            @JsonProperty("return") Return ret,
            String id) implements MakesPromise {}

    record Await(String promise, JsonNode value) implements HasOperand {}

    /** {@code try {do} catch (e) {catch} finally {finally}}: {@code catch}, {@code finally} or both. */
    record Try(
            @JsonProperty(value = "do", required = true) List<Op> body,
            @JsonProperty("catch") List<Op> handler,
            @JsonProperty("finally") List<Op> finalizer)
            implements Op {}

    record Throw(@JsonProperty(required = true) JsonNode value) implements Op {}

    /**
     * {@code return V}, {@code return P[promise]} or a bare {@code return} from the function it is in (an
     * async body, a handler, a listener, a callback, an executor, a named function, or main, a CommonJS
     * module body), inside its {@code try}, {@code if} and {@code repeat} blocks too: a {@code finally}
     * runs first, and its own return or throw replaces this one, as a return there replaces a throw or a
     * rejection (ECMA-262 §14.15.3).
     */
    record ReturnStatement(String promise, JsonNode value) implements Op {}

    record Emitter(@JsonProperty(required = true) String id) implements Op {}

    record On(
            @JsonProperty(required = true) String emitter,
            @JsonProperty(required = true) String event,
            @JsonProperty(value = "do", required = true) List<Op> body,
            String id)
            implements Listen {}

    record Once(
            @JsonProperty(required = true) String emitter,
            @JsonProperty(required = true) String event,
            @JsonProperty(value = "do", required = true) List<Op> body,
            String id)
            implements Listen {}

    record PrependListener(
            @JsonProperty(required = true) String emitter,
            @JsonProperty(required = true) String event,
            @JsonProperty(value = "do", required = true) List<Op> body,
            String id)
            implements Listen {}

    record PrependOnceListener(
            @JsonProperty(required = true) String emitter,
            @JsonProperty(required = true) String event,
            @JsonProperty(value = "do", required = true) List<Op> body,
            String id)
            implements Listen {}

    /** {@code removeAllListeners(event)}, under the name the first corpus gave it. */
    record Off(
            @JsonProperty(required = true) String emitter,
            @JsonProperty(required = true) String event) implements OnEmitter {}

    /** {@code E[emitter].removeListener(event, F[listener])}. */
    record RemoveListener(
            @JsonProperty(required = true) String emitter,
            @JsonProperty(required = true) String event,
            @JsonProperty(required = true) String listener)
            implements OnEmitter {}

    /** {@code removeAllListeners(event)}, or of every event without {@code event}. */
    record RemoveAllListeners(@JsonProperty(required = true) String emitter, String event) implements OnEmitter {}

    /** {@code emit(event, value)}, or {@code emit(event, ...args)} with {@code args}. */
    record Emit(
            @JsonProperty(required = true) String emitter,
            @JsonProperty(required = true) String event,
            JsonNode value,
            List<JsonNode> args)
            implements OnEmitter {
        public Emit(String emitter, String event, JsonNode value) {
            this(emitter, event, value, null);
        }
    }

    record SetMaxListeners(
            @JsonProperty(required = true) String emitter,
            @JsonProperty(required = true) int n) implements OnEmitter {}

    /** Binds {@code $v} to {@code listenerCount(event)}. */
    record ListenerCount(
            @JsonProperty(required = true) String emitter,
            @JsonProperty(required = true) String event) implements OnEmitter, Binds {}

    /** Binds {@code $v} to {@code eventNames()}. */
    record EventNames(@JsonProperty(required = true) String emitter) implements OnEmitter, Binds {}

    // ------------------------------------------------------------- counters, conditionals, functions

    /**
     * {@code C[var] = value}: a counter of the program's one global namespace (a module-level {@code let}
     * that this op assigns, again if it runs again). A log reads it as {@code ${var}} when it runs.
     */
    record Let(
            @JsonProperty(value = "var", required = true) String counter,
            @JsonProperty(required = true) int value) implements Counts {}

    /** {@code C[var] += by}, of a counter a {@code let} has set. */
    record Add(
            @JsonProperty(value = "var", required = true) String counter,
            @JsonProperty(required = true) int by) implements Counts {}

    /** {@code if (cond) {then} else {else}}: blocks of the function they are in, like a try's. */
    record If(
            @JsonProperty(required = true) Cond cond,
            @JsonProperty(value = "then", required = true) List<Op> then,
            @JsonProperty("else") List<Op> otherwise)
            implements Op {}

    /** {@code for (let i = 0; i < times; i++) {do}}: a block of the function it is in, run {@code times} times. */
    record Repeat(
            @JsonProperty(required = true) int times,
            @JsonProperty(value = "do", required = true) List<Op> body) implements Op {
        /** The most iterations a repeat may ask for. */
        public static final int MAX_TIMES = 10_000;
    }

    /**
     * {@code FN[id] = (a) => {do}}: a named function whose {@code $v} is its argument; {@code call} runs
     * it, so that a callback can schedule itself again ({@code nextTick(() => f())}).
     */
    record DefineFunction(
            @JsonProperty(required = true) String id,
            @JsonProperty(value = "do", required = true) List<Op> body) implements Op {}

    /** {@code $v = FN[fn](value)}: calls a named function now and binds {@code $v} to what it returns. */
    record Call(@JsonProperty(required = true) String fn, JsonNode value) implements Binds {
        /** Calls nest at most this deep: deeper is an error of the run, not a stack overflow. */
        public static final int MAX_DEPTH = 100;
    }

    /** An op on a counter, named by its {@code var}. */
    sealed interface Counts extends Op {
        String counter();
    }

    /**
     * An if's condition: {@code {"var": NAME, CMP: INTEGER}} compares a counter ({@code lt}, {@code le},
     * {@code eq}, {@code ne}, {@code ge}, {@code gt}); {@code {"var": "$v", "eq": V}} ({@code eq} or
     * {@code ne}) compares the text of {@code $v} (or {@code $w}) with the text of {@code V}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Cond(
            @JsonProperty(value = "var", required = true) String counter,
            JsonNode lt,
            JsonNode le,
            JsonNode eq,
            JsonNode ne,
            JsonNode ge,
            JsonNode gt) {
        /** The comparisons, in the order of the components. */
        public static final List<String> COMPARISONS = List.of("lt", "le", "eq", "ne", "ge", "gt");

        /** {@code {"var": left, comparison: right}}. */
        public static Cond of(String left, String comparison, JsonNode right) {
            JsonNode[] r = new JsonNode[COMPARISONS.size()];
            int i = COMPARISONS.indexOf(comparison);
            if (i < 0) throw new IllegalArgumentException("not a comparison: " + comparison);
            r[i] = right;
            return new Cond(left, r[0], r[1], r[2], r[3], r[4], r[5]);
        }

        /** {@code $v} or {@code $w}: a binding, compared by text, not a counter. */
        public boolean onBinding() {
            return counter.equals("$v") || counter.equals("$w");
        }

        /** The one comparison this condition makes (Scenario checks there is exactly one). */
        public String comparison() {
            for (int i = 0; i < COMPARISONS.size(); i++) if (operands()[i] != null) return COMPARISONS.get(i);
            throw new IllegalStateException("no comparison in " + this);
        }

        /** The right-hand side of {@link #comparison()}. */
        public JsonNode operand() {
            return operands()[COMPARISONS.indexOf(comparison())];
        }

        private JsonNode[] operands() {
            return new JsonNode[] {lt, le, eq, ne, ge, gt};
        }

        /** Whether {@code left CMP right} holds, for a counter's comparison. */
        public static boolean holds(String comparison, long left, long right) {
            return switch (comparison) {
                case "lt" -> left < right;
                case "le" -> left <= right;
                case "eq" -> left == right;
                case "ne" -> left != right;
                case "ge" -> left >= right;
                case "gt" -> left > right;
                default -> throw new IllegalArgumentException("not a comparison: " + comparison);
            };
        }
    }

    /** A {@code then} handler: {@code {"do": [...], "return": RET}}, both optional. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Handler(
            @JsonProperty("do") List<Op> body,
            @JsonProperty("return") Return ret) {}

    /** {@code {"value": V}}, {@code {"promise": ID}} (adoption) or {@code {"throw": V}}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Return(
            JsonNode value,
            String promise,
            @JsonProperty("throw") JsonNode thrown) {}

    /**
     * An item of a combinator's {@code of}: a promise id (a JSON string, {@code bare}) or
     * {@code {"value": V}} / {@code {"promise": ID}}. Written back in the form it was read.
     */
    record Item(String promise, JsonNode value, boolean bare) {
        public static Item of(String promiseId) {
            return new Item(promiseId, null, true);
        }

        public static Item ofValue(JsonNode value) {
            return new Item(null, value, false);
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Item read(JsonNode n) {
            if (n.isTextual()) return of(n.textValue());
            JsonNode p = n.get("promise");
            return new Item(p == null || p.isNull() ? null : p.textValue(), n.get("value"), false);
        }

        @JsonValue
        Object write() {
            if (bare) return promise;
            Map<String, Object> m = new LinkedHashMap<>();
            if (promise != null) m.put("promise", promise);
            if (value != null) m.put("value", value);
            return m;
        }
    }

    /** Writes a whole number of milliseconds as an integer (20, not 20.0), as the files have it. */
    final class Ms extends StdSerializer<Double> {
        Ms() {
            super(Double.class);
        }

        @Override
        public void serialize(Double ms, JsonGenerator out, SerializerProvider provider) throws IOException {
            if (ms == Math.rint(ms) && Math.abs(ms) < 1e15) out.writeNumber(ms.longValue());
            else out.writeNumber(ms);
        }
    }

    /** Every op name, for error messages. */
    static String allowed() {
        return BY_NAME.keySet().stream().sorted().collect(Collectors.joining(", "));
    }
}
