package loopbench.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Node's EventEmitter ({@code lib/events.js} of Node v20), for one loop's owner: every method runs
 * on the thread that holds the loop, and nothing here is thread-safe.
 *
 * <p>Contract, rule by rule as {@code lib/events.js} has it (the Node test each rule is checked
 * against is named in {@code EventEmitterTest}):
 * <ul>
 * <li>{@code emit(event, args...)} calls the listeners synchronously, in order, with the arguments
 *     a listener's arity takes ({@link Consumer}: the first, {@link BiConsumer}: the first two, as a
 *     JavaScript function of one or two parameters), over the listener array as it was when the emit
 *     began: a listener added meanwhile waits for the next emit, one removed meanwhile still runs. A
 *     listener that throws stops the rest and the exception leaves {@code emit}.
 * <li>Before a listener is added, {@code 'newListener'} is emitted with (event, listener) if it has
 *     listeners, for {@code on} and {@code once} alike, with the listener as given (never the once
 *     wrapper). After one is removed, {@code 'removeListener'} is emitted with (event, listener) if
 *     it has listeners. The listener is the one given when the array held one entry, the argument of
 *     {@code off} otherwise: a fired once listener reports its {@link Once} wrapper then, as Node's
 *     {@code removeListener} does. {@code removeAllListeners(event)} removes last to first, one
 *     {@code 'removeListener'} each; {@code removeAllListeners()} does every other event, then
 *     {@code 'removeListener'} itself.
 * <li>A {@code once} listener is a {@link Once} wrapper with a {@code fired} flag: it removes itself
 *     (so {@code 'removeListener'} comes first), sets the flag, then calls the listener; it never
 *     runs twice, even when an outer emit's snapshot still holds it after a nested emit fired it.
 * <li>Adding the listener that takes an event past {@link #getMaxListeners()} (10 unless set; 0 is
 *     unlimited) raises one {@link MaxListenersExceededWarning} for that event, given to the
 *     {@link #onWarning} hook (default: printed on stderr as Node prints it); the event may warn
 *     again once its listeners have fallen to one or none (Node's array is gone by then).
 * <li>{@code emit("error", x)}: the {@link #ERROR_MONITOR} listeners run first; with no
 *     {@code 'error'} listener a {@link Throwable} is thrown as it is, anything else as an
 *     {@link UnhandledErrorEvent} ({@code ERR_UNHANDLED_ERROR}).
 * <li>{@link #eventNames()} is in the order of a JavaScript object's keys: integer-like names
 *     ascending, then the others in insertion order, then {@link #ERROR_MONITOR}.
 * </ul>
 *
 * <p>Sources: Node v20 {@code lib/events.js} ({@code _addListener}, {@code _onceWrap}/{@code onceWrapper},
 * {@code removeListener}, {@code removeAllListeners}, {@code emit}, {@code _listeners},
 * {@code eventNames}); the orders as Node v20.20 prints them are recorded in core's test resources
 * {@code events/orders.js} and {@code orders.out}. Differences: an emitter made with {@code new} has no loop, so
 * {@link #onWarning}'s hook is called at once (one from {@link EventLoop#newEmitter} hands its warnings to
 * {@link EventLoop#emitWarning}, which delivers them on the next tick, as Node's {@code process.emitWarning}
 * does); and {@code defaultMaxListeners} is a constant. A listener is a {@link Consumer} or a
 * {@link BiConsumer}, so it takes at most two arguments; {@code emit} accepts more and passes the first two.
 *
 * <p>Implementation: one map from event to an immutable listener list, replaced on every change (copy
 * on write), so an emit iterates the list it found without copying it. Fields, all owner-confined:
 * {@code listeners} (event to list, absent when empty), {@code warned} (events that have warned
 * since they last had more than one listener), {@code maxListeners}, {@code warningHook}.
 */
public final class EventEmitter {
    /** Node's {@code events.errorMonitor}: a symbol, so no event name can be mistaken for it. */
    public static final Object ERROR_MONITOR = new Object() {
        @Override
        public String toString() {
            return "Symbol(events.errorMonitor)";
        }
    };

    /** Node's {@code EventEmitter.defaultMaxListeners}. */
    public static final int DEFAULT_MAX_LISTENERS = 10;

    private final Map<Object, List<Entry>> listeners = new LinkedHashMap<>();
    private final java.util.Set<Object> warned = new java.util.HashSet<>();
    private int maxListeners = DEFAULT_MAX_LISTENERS;
    private Consumer<MaxListenersExceededWarning> warningHook;

    /** A registered listener: the function as given, or the {@link Once} wrapper around it. */
    private abstract static sealed class Entry permits Plain, Once {
        abstract void call(int argc, Object a, Object b);

        /** The function the user gave. */
        abstract Object listener();
    }

    private static final class Plain extends Entry {
        private final Object fn;

        Plain(Object fn) {
            this.fn = fn;
        }

        @Override
        @SuppressWarnings("unchecked")
        void call(int argc, Object a, Object b) {
            if (fn instanceof Consumer<?> c) ((Consumer<Object>) c).accept(a);
            else ((BiConsumer<Object, Object>) fn).accept(a, b);
        }

        @Override
        Object listener() {
            return fn;
        }
    }

    /** Node's once wrapper ({@code _onceWrap}): what {@link #rawListeners} shows for a once listener. */
    public static final class Once extends Entry {
        private final EventEmitter target;
        private final Object event;
        private final Plain fn;
        private boolean fired;

        private Once(EventEmitter target, Object event, Object fn) {
            this.target = target;
            this.event = event;
            this.fn = new Plain(fn);
        }

        /** The listener this wraps ({@code wrapper.listener} in Node). */
        @Override
        public Object listener() {
            return fn.fn;
        }

        /** Calls the wrapper as an emit would: the first call removes it and runs the listener, later ones do nothing. */
        public void call(Object... args) {
            call(args.length, args.length > 0 ? args[0] : null, args.length > 1 ? args[1] : null);
        }

        @Override
        void call(int argc, Object a, Object b) {
            if (fired) return;
            target.remove(event, this, this); // emits 'removeListener' before the body runs
            fired = true;
            fn.call(argc, a, b);
        }

        @Override
        public String toString() {
            return "[once " + fn.fn + "]";
        }
    }

    /** Node's ERR_UNHANDLED_ERROR: an 'error' event with no listener and a value that is not an error. */
    public static final class UnhandledErrorEvent extends RuntimeException {
        private final transient Object context;

        public UnhandledErrorEvent(Object context) {
            super(
                    "Unhandled error. (" + (context instanceof String s ? "'" + s + "'" : context) + ")",
                    null,
                    false,
                    false);
            this.context = context;
        }

        /** The emitted value. */
        public Object context() {
            return context;
        }

        /** Node's error code. */
        public String code() {
            return "ERR_UNHANDLED_ERROR";
        }
    }

    /** Node's MaxListenersExceededWarning: a warning, never thrown by the emitter. */
    public static final class MaxListenersExceededWarning extends Warning {
        private final transient EventEmitter emitter;
        private final transient Object event;
        private final int count;

        MaxListenersExceededWarning(EventEmitter emitter, Object event, int count, int max) {
            super(
                    "MaxListenersExceededWarning",
                    "Possible EventEmitter memory leak detected. " + count + " " + event + " listeners added to "
                            + "[EventEmitter]. MaxListeners is " + max
                            + ". Use emitter.setMaxListeners() to increase limit");
            this.emitter = emitter;
            this.event = event;
            this.count = count;
        }

        public EventEmitter emitter() {
            return emitter;
        }

        public Object event() {
            return event;
        }

        public int count() {
            return count;
        }
    }

    // ------------------------------------------------------------------------------ adding

    public EventEmitter on(Object event, Consumer<Object> listener) {
        return add(event, listener, false, false);
    }

    /** A listener of two parameters: the emit's first two arguments. */
    public EventEmitter on(Object event, BiConsumer<Object, Object> listener) {
        return add(event, listener, false, false);
    }

    public EventEmitter once(Object event, Consumer<Object> listener) {
        return add(event, listener, true, false);
    }

    public EventEmitter once(Object event, BiConsumer<Object, Object> listener) {
        return add(event, listener, true, false);
    }

    public EventEmitter prependListener(Object event, Consumer<Object> listener) {
        return add(event, listener, false, true);
    }

    public EventEmitter prependListener(Object event, BiConsumer<Object, Object> listener) {
        return add(event, listener, false, true);
    }

    public EventEmitter prependOnceListener(Object event, Consumer<Object> listener) {
        return add(event, listener, true, true);
    }

    public EventEmitter prependOnceListener(Object event, BiConsumer<Object, Object> listener) {
        return add(event, listener, true, true);
    }

    private EventEmitter add(Object event, Object fn, boolean once, boolean first) {
        Objects.requireNonNull(event, "event name is null");
        Objects.requireNonNull(fn, () -> "listener for '" + event + "' is null");
        if (listeners.containsKey("newListener"))
            emit("newListener", event, fn); // before it is added (rule: even for itself)
        Entry entry = once ? new Once(this, event, fn) : new Plain(fn);
        List<Entry> old = listeners.getOrDefault(event, List.of());
        List<Entry> list = new ArrayList<>(old.size() + 1);
        if (first) list.add(entry);
        list.addAll(old);
        if (!first) list.add(entry);
        listeners.put(event, list);
        if (maxListeners > 0 && list.size() > maxListeners && warned.add(event)) {
            MaxListenersExceededWarning w = new MaxListenersExceededWarning(this, event, list.size(), maxListeners);
            if (warningHook != null) warningHook.accept(w);
            else System.err.println(w);
        }
        return this;
    }

    // ---------------------------------------------------------------------------- removing

    /** Node's {@code removeListener}: removes the last registration of {@code listener} (or of a once wrapper of it, or the wrapper itself). */
    public EventEmitter off(Object event, Object listener) {
        Objects.requireNonNull(listener, () -> "listener for '" + event + "' is null");
        List<Entry> list = listeners.get(event);
        if (list == null) return this;
        for (int i = list.size() - 1; i >= 0; i--) {
            Entry e = list.get(i);
            if (e == listener || e.listener() == listener) {
                remove(event, e, listener);
                break;
            }
        }
        return this;
    }

    /** Alias of {@link #off}, Node's name. */
    public EventEmitter removeListener(Object event, Object listener) {
        return off(event, listener);
    }

    /** Removes {@code entry}; {@code given} is what {@code off} was called with, which Node reports when more than one was registered. */
    private void remove(Object event, Entry entry, Object given) {
        List<Entry> list = listeners.get(event);
        int at = list == null ? -1 : indexOf(list, entry);
        if (at < 0) return;
        List<Entry> rest = new ArrayList<>(list);
        rest.remove(at);
        if (rest.isEmpty()) listeners.remove(event);
        else listeners.put(event, rest);
        if (rest.size() <= 1) warned.remove(event);
        if (listeners.containsKey("removeListener")) {
            emit("removeListener", event, list.size() == 1 ? entry.listener() : given);
        }
    }

    private static int indexOf(List<Entry> list, Entry e) {
        for (int i = 0; i < list.size(); i++) if (list.get(i) == e) return i;
        return -1;
    }

    /** Removes every listener of {@code event}, last first, each with its {@code 'removeListener'}. */
    public EventEmitter removeAllListeners(Object event) {
        List<Entry> list = listeners.get(event);
        if (list == null) return this;
        if (!listeners.containsKey("removeListener")) {
            listeners.remove(event);
            warned.remove(event);
            return this;
        }
        for (int i = list.size() - 1; i >= 0; i--) {
            Entry e = list.get(i);
            remove(
                    event,
                    e,
                    e instanceof Once ? e : e.listener()); // Node passes the raw listener: a once wrapper stays wrapped
        }
        return this;
    }

    /** Removes every listener of every event: the others first, {@code 'removeListener'}'s own last. */
    public EventEmitter removeAllListeners() {
        if (listeners.containsKey("removeListener")) {
            for (Object event : eventNames()) if (!"removeListener".equals(event)) removeAllListeners(event);
            removeAllListeners("removeListener");
        }
        listeners.clear();
        warned.clear();
        return this;
    }

    // ---------------------------------------------------------------------------- emitting

    /** Emits with no argument; returns whether there were listeners. */
    public boolean emit(Object event) {
        return dispatch(event, 0, null, null);
    }

    /** Emits one argument; returns whether there were listeners. */
    public boolean emit(Object event, Object value) {
        return dispatch(event, 1, value, null);
    }

    /** Emits several arguments; each listener takes as many as its arity allows. */
    public boolean emit(Object event, Object first, Object... more) {
        return dispatch(event, 1 + more.length, first, more.length > 0 ? more[0] : null);
    }

    private boolean dispatch(Object event, int argc, Object a, Object b) {
        if ("error".equals(event)) {
            if (listeners.containsKey(ERROR_MONITOR)) dispatch(ERROR_MONITOR, argc, a, b);
            if (!listeners.containsKey("error")) {
                if (a instanceof Throwable t) throw ValueException.toThrow(t);
                throw new UnhandledErrorEvent(a);
            }
        }
        List<Entry> list = listeners.get(event);
        if (list == null) return false;
        for (Entry l : list) l.call(argc, a, b); // `list` is never mutated: changes replace it
        return true;
    }

    // ------------------------------------------------------------------------- inspecting

    public int listenerCount(Object event) {
        List<Entry> list = listeners.get(event);
        return list == null ? 0 : list.size();
    }

    /** The listeners as given (once listeners unwrapped), a copy. */
    public List<Object> listeners(Object event) {
        List<Object> out = new ArrayList<>();
        for (Entry e : listeners.getOrDefault(event, List.of())) out.add(e.listener());
        return out;
    }

    /** The listeners as registered: a once listener is its {@link Once} wrapper. A copy. */
    public List<Object> rawListeners(Object event) {
        List<Object> out = new ArrayList<>();
        for (Entry e : listeners.getOrDefault(event, List.of())) out.add(e instanceof Once o ? o : e.listener());
        return out;
    }

    /** The events that have listeners, in JavaScript's own-key order (see the class comment). */
    public List<Object> eventNames() {
        List<Object> names = new ArrayList<>(listeners.keySet());
        names.sort((x, y) -> {
            int kx = keyClass(x), ky = keyClass(y);
            if (kx != ky) return Integer.compare(kx, ky);
            return kx == 0
                    ? Long.compare(Long.parseLong((String) x), Long.parseLong((String) y))
                    : 0; // stable: insertion order
        });
        return names;
    }

    /** 0: an array index (a canonical integer below 2^32 - 1), 1: another string, 2: a symbol. */
    private static int keyClass(Object key) {
        if (!(key instanceof String s)) return 2;
        if (s.isEmpty() || s.length() > 10 || (s.length() > 1 && s.charAt(0) == '0')) return 1;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return 1;
        return Long.parseLong(s) < 4_294_967_295L ? 0 : 1;
    }

    // ------------------------------------------------------------------------ max listeners

    /** Node's {@code setMaxListeners}: 0 means unlimited. */
    public EventEmitter setMaxListeners(int n) {
        if (n < 0)
            throw new IllegalArgumentException(
                    "setMaxListeners: n must be a non-negative number (0 is unlimited), was " + n);
        maxListeners = n;
        return this;
    }

    public int getMaxListeners() {
        return maxListeners;
    }

    /**
     * Where this emitter's warnings go: Node hands them to {@code process.emitWarning};
     * {@link EventLoop#newEmitter} sets this to the loop's {@link EventLoop#emitWarning}. {@code null}
     * restores the default, a line on stderr at once.
     */
    public EventEmitter onWarning(Consumer<MaxListenersExceededWarning> hook) {
        warningHook = hook;
        return this;
    }
}
