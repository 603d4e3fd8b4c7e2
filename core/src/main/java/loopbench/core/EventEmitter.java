package loopbench.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Node's EventEmitter (lib/events.js), for one loop's owner. {@code emit} is synchronous and runs
 * over a copy of the listener array, so listeners added during an emit wait for the next one and
 * removed ones still run (rule 15); a {@code once} listener is removed before it is called; a
 * listener that throws stops the rest and the exception leaves {@code emit}; emitting
 * {@code "error"} with no listener throws the value.
 */
public final class EventEmitter {
    private record Listener(Consumer<Object> fn, boolean once) {}

    private final Map<String, List<Listener>> listeners = new HashMap<>();

    /** Node's ERR_UNHANDLED_ERROR: an 'error' event with no listener and a value that is not an error. */
    public static final class UnhandledErrorEvent extends RuntimeException {
        private final transient Object context;

        public UnhandledErrorEvent(Object context) {
            super("Unhandled error. (" + context + ")", null, false, false);
            this.context = context;
        }

        /** The emitted value. */
        public Object context() {
            return context;
        }
    }

    public EventEmitter on(String event, Consumer<Object> listener) {
        return add(event, new Listener(listener, false), false);
    }

    public EventEmitter once(String event, Consumer<Object> listener) {
        return add(event, new Listener(listener, true), false);
    }

    public EventEmitter prependListener(String event, Consumer<Object> listener) {
        return add(event, new Listener(listener, false), true);
    }

    public EventEmitter prependOnceListener(String event, Consumer<Object> listener) {
        return add(event, new Listener(listener, true), true);
    }

    /** Removes the most recently added registration of {@code listener}, as Node does. */
    public EventEmitter off(String event, Consumer<Object> listener) {
        List<Listener> list = listeners.get(event);
        if (list == null) return this;
        for (int i = list.size() - 1; i >= 0; i--) {
            if (list.get(i).fn == listener) {
                list = new ArrayList<>(list); // never mutate an array an emit may be iterating
                list.remove(i);
                store(event, list);
                break;
            }
        }
        return this;
    }

    public EventEmitter removeAllListeners(String event) {
        listeners.remove(event);
        return this;
    }

    public EventEmitter removeAllListeners() {
        listeners.clear();
        return this;
    }

    public int listenerCount(String event) {
        List<Listener> list = listeners.get(event);
        return list == null ? 0 : list.size();
    }

    /** Calls every listener of {@code event} with {@code value}; returns whether there were any. */
    public boolean emit(String event, Object value) {
        List<Listener> list = listeners.get(event);
        if (list == null || list.isEmpty()) {
            if ("error".equals(event)) {
                if (value instanceof Throwable t) throw ValueException.toThrow(t);
                throw new UnhandledErrorEvent(value);
            }
            return false;
        }
        for (Listener l : list) { // `list` is never mutated: changes replace it (copy on write)
            if (l.once) remove(event, l);
            l.fn.accept(value);
        }
        return true;
    }

    private void remove(String event, Listener l) {
        List<Listener> list = listeners.get(event);
        if (list == null || !list.contains(l)) return;
        list = new ArrayList<>(list);
        for (int i = 0; i < list.size(); i++) if (list.get(i) == l) { list.remove(i); break; }
        store(event, list);
    }

    private EventEmitter add(String event, Listener l, boolean first) {
        Objects.requireNonNull(event, "event name is null");
        Objects.requireNonNull(l.fn, () -> "listener for '" + event + "' is null");
        List<Listener> list = new ArrayList<>(listeners.getOrDefault(event, List.of()));
        if (first) list.add(0, l); else list.add(l);
        store(event, list);
        return this;
    }

    private void store(String event, List<Listener> list) {
        if (list.isEmpty()) listeners.remove(event); else listeners.put(event, list);
    }
}
