package loopbench.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node's {@code events} module, section by section against {@code events/orders.out}: what Node
 * v20 prints for {@code events/orders.js}, which names the Node test (test/parallel/) each section
 * comes from. Each test here does what its section does and must log the same lines;
 * {@link #nodePrintsTheRecordedOrders} checks the recording against real Node when it is installed.
 */
class EventEmitterTest {
    private static final Map<String, List<String>> NODE = sections();
    private final List<String> log = new ArrayList<>();

    /** test-event-emitter-add-listeners.js */
    @Test
    void newListenerComesBeforeTheListenerIsAddedForOnAndOnce() {
        EventEmitter e = new EventEmitter();
        Consumer<Object> f = v -> {};
        Consumer<Object> g = v -> {};
        e.on(
                "newListener",
                (t, l) -> log.add(
                        "new " + t + " count=" + e.listenerCount(t) + " given=" + (l == f ? "f" : l == g ? "g" : "?")));
        e.on("x", f);
        e.once("x", g);
        assertEquals(NODE.get("newListener"), log);
    }

    /** test-event-emitter-remove-listeners.js, test-event-emitter-once.js */
    @Test
    void aOnceListenerIsRemovedBeforeItsBodyRuns() {
        EventEmitter e = new EventEmitter();
        Consumer<Object> a = v -> log.add("a body");
        Consumer<Object> b = v -> log.add("b body");
        e.on(
                "removeListener",
                (t, l) -> log.add("removed " + t + " "
                        + (l == a
                                ? "a"
                                : l == b
                                        ? "b"
                                        : l instanceof EventEmitter.Once o && o.listener() == a ? "wrap(a)" : "?")));
        e.once("x", a);
        e.emit("x");
        log.add("-");
        e.once("x", a);
        e.once("x", b);
        e.emit("x");
        assertEquals(NODE.get("onceRemoval"), log);
    }

    /** test-event-emitter-once.js: the fired flag, not the emit's snapshot, stops a second run. */
    @Test
    void aOnceListenerFiredByANestedEmitDoesNotRunAgainInTheOuterOne() {
        EventEmitter e = new EventEmitter();
        e.once("e", v -> {
            log.add("first");
            e.emit("e");
        });
        e.once("e", v -> log.add("second"));
        e.emit("e");
        log.add("count " + e.listenerCount("e"));
        assertEquals(NODE.get("onceReEmit"), log);
    }

    /** test-event-emitter-remove-all-listeners.js */
    @Test
    void removeAllListenersReportsEachLastFirstAndRemoveListenerItselfLast() {
        EventEmitter e = new EventEmitter();
        Consumer<Object> f1 = v -> {}, f2 = v -> {}, f3 = v -> {};
        e.on(
                "removeListener",
                (t, l) -> log.add("rm " + t + " " + (l == f1 ? "f1" : l == f2 ? "f2" : l == f3 ? "f3" : "?")));
        e.on("x", f1).on("x", f2).on("y", f3).removeAllListeners("x");
        log.add("-");
        e.on("x", f1).removeAllListeners();
        log.add("names " + e.eventNames().size());
        assertEquals(NODE.get("removeAll"), log);
    }

    /** test-event-emitter-errors.js, test-event-emitter-error-monitor.js */
    @Test
    void errorMonitorSeesItFirstAndAnUnheardErrorIsThrown() {
        EventEmitter e = new EventEmitter();
        e.on(EventEmitter.ERROR_MONITOR, er -> log.add("monitor " + ((Throwable) er).getMessage()));
        RuntimeException boom = new IllegalStateException("boom");
        log.add("thrown "
                + assertThrows(IllegalStateException.class, () -> e.emit("error", boom))
                        .getMessage());
        e.on("error", er -> log.add("handled " + ((Throwable) er).getMessage()));
        e.emit("error", new IllegalStateException("two"));
        EventEmitter.UnhandledErrorEvent u =
                assertThrows(EventEmitter.UnhandledErrorEvent.class, () -> new EventEmitter().emit("error", "bad"));
        log.add(u.code() + " " + u.getMessage() + " context=" + u.context());
        assertEquals(NODE.get("errors"), log);
    }

    /** test-event-emitter-prepend.js, test-event-emitter-listeners.js, test-event-emitter-num-args.js, test-event-emitter-special-event-names.js */
    @Test
    void prependListenersArgumentsAndEventNamesInKeyOrder() {
        EventEmitter e = new EventEmitter();
        BiConsumer<Object, Object> a = (x, y) -> log.add("a " + js(x) + " " + js(y));
        Consumer<Object> b = x -> log.add("b " + js(x));
        Consumer<Object> c = x -> log.add("c");
        java.util.function.Function<Object, String> name = f -> f == a
                ? "a"
                : f == b ? "b" : f == c ? "c" : f instanceof EventEmitter.Once o && o.listener() == c ? "wrap(c)" : "?";
        e.on("x", a).prependListener("x", b).prependOnceListener("x", c);
        log.add("listeners "
                + String.join(",", e.listeners("x").stream().map(name).toList()));
        log.add("raw " + String.join(",", e.rawListeners("x").stream().map(name).toList()));
        log.add("emit " + e.emit("x", 1, 2));
        e.emit("x", 3);
        log.add("none " + e.emit("nothing", 1));
        e.on("b", c).on("10", c).on("2", c).on(EventEmitter.ERROR_MONITOR, c).on("01", c);
        log.add("names "
                + String.join(",", e.eventNames().stream().map(String::valueOf).toList()));
        e.once("y", c);
        EventEmitter.Once w = (EventEmitter.Once) e.rawListeners("y").get(0);
        w.call();
        w.call();
        log.add("y count " + e.listenerCount("y"));
        assertEquals(NODE.get("prependAndInspect"), log);
    }

    /** test-event-emitter-max-listeners-warning.js, test-event-emitter-check-listener-leaks.js */
    @Test
    void oneWarningPerEventUntilItsListenersFallToOne() {
        List<String> warnings = new ArrayList<>();
        Consumer<EventEmitter.MaxListenersExceededWarning> hook = w -> warnings.add(
                "MaxListenersExceededWarning count=" + w.count() + " type=" + w.event() + ": " + w.getMessage());
        EventEmitter e = new EventEmitter().onWarning(hook).setMaxListeners(2);
        List<Consumer<Object>> fs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int k = i;
            fs.add(v -> log.add("never " + k)); // capturing: four distinct listeners, as in the JS
        }
        for (Consumer<Object> f : fs) e.on("a", f);
        log.add("max " + e.getMaxListeners());
        e.off("a", fs.get(3)).off("a", fs.get(2)).on("a", fs.get(2));
        e.off("a", fs.get(2)).off("a", fs.get(1)).on("a", fs.get(1)).on("a", fs.get(2));
        EventEmitter d = new EventEmitter().onWarning(hook);
        log.add("default " + d.getMaxListeners());
        for (int i = 0; i < 11; i++) d.on("b", v -> {});
        EventEmitter z = new EventEmitter().onWarning(hook).setMaxListeners(0);
        for (int i = 0; i < 20; i++) z.on("c", v -> {});
        assertEquals(NODE.get("maxListeners"), log);
        assertEquals(NODE.get("warnings"), warnings);
        assertThrows(IllegalArgumentException.class, () -> z.setMaxListeners(-1));
    }

    /** The recording is what Node prints today (skipped without node on the PATH). */
    @Test
    void nodePrintsTheRecordedOrders(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("orders.js");
        try (InputStream in = resource("orders.js")) {
            Files.copy(in, script);
        }
        Process p;
        try {
            p = new ProcessBuilder("node", script.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException noNode) {
            Assumptions.abort("node is not on the PATH: " + noNode.getMessage());
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, p.waitFor(60, TimeUnit.SECONDS), "node did not finish");
        assertEquals(text("orders.out"), out);
    }

    private static String js(Object v) {
        return v == null ? "undefined" : String.valueOf(v);
    }

    private static InputStream resource(String name) {
        return EventEmitterTest.class.getResourceAsStream("/events/" + name);
    }

    private static String text(String name) {
        try (InputStream in = resource(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, List<String>> sections() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : text("orders.out").split("\n")) {
            if (line.startsWith("=== ")) m.put(line.substring(4), current = new ArrayList<>());
            else current.add(line);
        }
        return m;
    }
}
