package loopbench.core;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Predicate;

/**
 * The registry of runtimes: the {@link EventLoopProvider}s on the class path, in their stated
 * {@link EventLoopProvider#order order}. Nothing else lists the runtimes.
 */
public final class EventLoops {
    private EventLoops() {}

    /** Found once: the class path does not change while the JVM runs. */
    private static final class Found {
        static final List<EventLoopProvider> PROVIDERS = load();

        private static List<EventLoopProvider> load() {
            List<EventLoopProvider> all = ServiceLoader.load(EventLoopProvider.class).stream()
                    .map(ServiceLoader.Provider::get)
                    .sorted(Comparator.comparingInt(EventLoopProvider::order).thenComparing(EventLoopProvider::name))
                    .toList();
            Map<String, EventLoopProvider> byName = new HashMap<>();
            for (EventLoopProvider p : all) {
                EventLoopProvider twin = byName.put(p.name(), p);
                if (twin != null) {
                    throw new IllegalStateException("two runtimes are named '" + p.name() + "': "
                            + twin.getClass().getName() + " and " + p.getClass().getName());
                }
            }
            return all;
        }
    }

    /** Every runtime on the class path, in order. */
    public static List<EventLoopProvider> providers() {
        return Found.PROVIDERS;
    }

    /** The names of every runtime, in order. */
    public static List<String> names() {
        return names(p -> true);
    }

    /** The names of the runtimes that {@code which} accepts, in order. */
    public static List<String> names(Predicate<EventLoopProvider> which) {
        return providers().stream().filter(which).map(EventLoopProvider::name).toList();
    }

    /** The runtime named {@code name}; an unknown name is refused with the known ones. */
    public static EventLoopProvider provider(String name) {
        for (EventLoopProvider p : providers()) if (p.name().equals(name)) return p;
        throw new IllegalArgumentException("unknown runtime '" + name + "': known are " + String.join(", ", names()));
    }

    public static EventLoop create(String name) {
        return provider(name).create(LoopOptions.DEFAULTS);
    }

    public static EventLoop create(String name, LoopOptions options) {
        return provider(name).create(options);
    }
}
