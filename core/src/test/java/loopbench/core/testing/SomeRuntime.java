package loopbench.core.testing;

import java.util.List;
import java.util.function.Predicate;
import loopbench.core.EventLoopProvider;
import loopbench.core.EventLoops;

/**
 * For tests that need one runtime, not each: the first one in the registry's order that has the
 * capability asked for. Tests name the capability they rely on, never a runtime.
 */
public final class SomeRuntime {
    private SomeRuntime() {}

    /** Any runtime: for tests of what every runtime does alike (option parsing, file formats). */
    public static String any() {
        return first(p -> true, "runtime");
    }

    /** A runtime whose {@code await} parks the body. */
    public static String awaiting() {
        return first(EventLoopProvider::canAwait, "runtime that can await");
    }

    /** A runtime whose loops are cheap enough for the harness's per-request layout. */
    public static String loopPerRequest() {
        return first(EventLoopProvider::supportsLoopPerRequest, "runtime that supports a loop per request");
    }

    private static String first(Predicate<EventLoopProvider> which, String what) {
        List<String> names = EventLoops.names(which);
        if (names.isEmpty())
            throw new IllegalStateException(
                    "no " + what + " on the test class path; runtimes found: " + EventLoops.names());
        return names.get(0);
    }
}
