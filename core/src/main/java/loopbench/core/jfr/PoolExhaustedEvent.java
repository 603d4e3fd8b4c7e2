package loopbench.core.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** The bounded pool refused or failed work because every thread was blocked. */
@Name("loopbench.PoolExhausted")
@Label("Pool Exhausted")
@Category("Loopbench")
@Description("Every pool thread was blocked; work that needed a thread was failed")
public final class PoolExhaustedEvent extends jdk.jfr.Event {
    @Label("Pool Size")
    public int poolSize;

    @Label("Blocked Threads")
    public int blockedThreads;

    @Label("What")
    public String what;
}
