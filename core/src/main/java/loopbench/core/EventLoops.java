package loopbench.core;

import java.util.List;
import java.util.ServiceLoader;

/** The runtimes on the class path, by name. */
public final class EventLoops {
    /** The order the runtimes are reported in. */
    public static final List<String> NAMES = List.of("loop", "loom", "threadpool");

    private EventLoops() {
    }

    public static List<EventLoopProvider> providers() {
        return ServiceLoader.load(EventLoopProvider.class).stream().map(ServiceLoader.Provider::get)
                .sorted(java.util.Comparator.comparingInt(p -> {
                    int i = NAMES.indexOf(p.name());
                    return i < 0 ? Integer.MAX_VALUE : i;
                })).toList();
    }

    public static EventLoopProvider provider(String name) {
        for (EventLoopProvider p : providers()) if (p.name().equals(name)) return p;
        throw new IllegalArgumentException("unknown runtime '" + name + "': available are "
                + String.join(", ", providers().stream().map(EventLoopProvider::name).toList()));
    }

    public static EventLoop create(String name) {
        return provider(name).create(LoopOptions.DEFAULTS);
    }

    public static EventLoop create(String name, LoopOptions options) {
        return provider(name).create(options);
    }
}
