package loopbench.bench;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.function.Predicate;
import loopbench.core.EventLoopProvider;
import loopbench.core.EventLoops;

/**
 * Which runtimes a benchmark runs on: its {@code @Param(Runtimes.FILLED) String runtime} is replaced
 * by {@link JmhMain}, benchmarks.jar's main, with the registry's runtimes that have the capability,
 * so no benchmark spells a runtime's name.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Inherited
public @interface Runtimes {
    /**
     * The {@code @Param} value {@link JmhMain} replaces with a registry's names ({@code runtime}: the
     * benchmark's {@link Runtimes}; {@code load}: every load). JMH wants a String parameter to have
     * values at compile time; run without JmhMain, a benchmark fails on this one, by its name.
     */
    String FILLED = "filled-at-launch-by-JmhMain";

    Which value();

    /** A set of runtimes, stated as a capability the providers declare. */
    enum Which {
        /** Every runtime. */
        ALL(p -> true),
        /** Runtimes whose {@code await} parks the body and lets the loop run on. */
        AWAITING(EventLoopProvider::canAwait),
        /** Runtimes in which a waiting async body is heap objects, not a platform thread's stack. */
        AWAIT_ON_HEAP(p -> !p.awaitHoldsPlatformThread());

        private final Predicate<EventLoopProvider> which;

        Which(Predicate<EventLoopProvider> which) {
            this.which = which;
        }

        /** Their names, in the registry's order. */
        public List<String> names() {
            return EventLoops.names(which);
        }
    }
}
