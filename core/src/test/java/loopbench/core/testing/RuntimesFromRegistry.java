package loopbench.core.testing;

import java.util.List;
import java.util.stream.Stream;
import loopbench.core.EventLoopProvider;
import loopbench.core.EventLoops;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;

/**
 * The one argument source of runtime names for tests: the registry's runtimes, all of them
 * ({@link AllRuntimes}) or those that can await ({@link AwaitingRuntimes}). None found is a
 * failure that says why, never a test that silently runs zero times.
 */
public final class RuntimesFromRegistry implements ArgumentsProvider {
    @Override
    public Stream<? extends Arguments> provideArguments(ExtensionContext context) {
        boolean awaiting = context.getRequiredTestMethod().isAnnotationPresent(AwaitingRuntimes.class);
        List<String> names = awaiting ? EventLoops.names(EventLoopProvider::canAwait) : EventLoops.names();
        if (names.isEmpty()) {
            throw new IllegalStateException("no " + (awaiting ? "runtime that can await" : "runtime")
                    + " on the test class path: add a runtime module (a META-INF/services/"
                    + EventLoopProvider.class.getName() + " entry) as a test dependency");
        }
        return names.stream().map(Arguments::of);
    }
}
