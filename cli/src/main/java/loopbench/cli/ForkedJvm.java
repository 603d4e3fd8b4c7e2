package loopbench.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A child JVM that bench, micro and soak start: its command line, its output relayed line by
 * line, a watchdog that kills it past its time budget, and a shutdown hook so that no child
 * outlives this command (Ctrl-C, SIGTERM).
 *
 * <p>A child runs on the same {@code java} as this command, with the JVM options of an
 * environment variable (or defaults), {@code -Dloopbench.home} and a class path. Its stdin is
 * closed at once unless the caller keeps it (the delay backend exits when it is closed). The
 * relay threads end when the child closes its streams; {@link #waitFor()} joins them, so every
 * line has been handed over when it returns.
 */
final class ForkedJvm {
    /** The children alive now; the shutdown hook kills them. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "loopbench-kill-children"));
    }

    private final Process process;
    private final List<Thread> relays = new ArrayList<>();
    private final Thread watchdog;
    private volatile boolean timedOut;

    private ForkedJvm(Process process, Thread watchdog) {
        this.process = process;
        this.watchdog = watchdog;
    }

    /** The java that runs this command, so children run on the same JDK. */
    static String java() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** JVM options from the environment variable {@code env} (split on white space), or the defaults. */
    static List<String> options(String env, List<String> defaults) {
        String opts = System.getenv(env);
        return opts != null && !opts.isBlank() ? Arrays.asList(opts.trim().split("\\s+")) : defaults;
    }

    /** {@code java OPTIONS -Dloopbench.home=HOME -cp CLASSPATH MAIN ARGS...}, on this command's java. */
    static List<String> command(List<String> options, Path home, Path classPath, String main, List<String> args) {
        return command(java(), options, home, classPath, main, args);
    }

    /** The same on another {@code java} (bench --java-home). */
    static List<String> command(
            String java, List<String> options, Path home, Path classPath, String main, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(options);
        cmd.add("-Dloopbench.home=" + home);
        cmd.addAll(List.of("-cp", classPath.toString(), main));
        cmd.addAll(args);
        return cmd;
    }

    /**
     * Starts {@code cmd} in {@code dir}. Each stdout line goes to {@code stdout}; each stderr line to
     * {@code stderr}, or to {@code stdout} too when {@code stderr} is null (one merged stream, in order).
     * Past {@code budget} (null: none) the child is killed and {@link #timedOut()} says so.
     */
    static ForkedJvm start(
            List<String> cmd,
            Path dir,
            Consumer<String> stdout,
            Consumer<String> stderr,
            Duration budget,
            boolean keepStdin)
            throws IOException {
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(stderr == null)
                .start();
        LIVE.add(p);
        p.onExit().thenRun(() -> LIVE.remove(p));
        if (!keepStdin) {
            p.getOutputStream().close();
        }
        Thread watchdog = null;
        ForkedJvm[] self = new ForkedJvm[1];
        if (budget != null) {
            watchdog = Thread.ofPlatform()
                    .daemon()
                    .name("loopbench-child-watchdog")
                    .unstarted(() -> {
                        try {
                            if (!p.waitFor(budget.toMillis(), TimeUnit.MILLISECONDS)) {
                                self[0].timedOut = true;
                                p.destroyForcibly();
                            }
                        } catch (InterruptedException e) {
                            // the child ended in time
                        }
                    });
        }
        ForkedJvm f = new ForkedJvm(p, watchdog);
        self[0] = f;
        f.relays.add(relay(p.getInputStream(), stdout));
        if (stderr != null) {
            f.relays.add(relay(p.getErrorStream(), stderr));
        }
        if (watchdog != null) {
            watchdog.start();
        }
        return f;
    }

    private static Thread relay(InputStream in, Consumer<String> to) {
        return Thread.ofPlatform().daemon().name("loopbench-child-relay").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    to.accept(line);
                }
            } catch (IOException e) {
                // the child is gone
            }
        });
    }

    /** Waits for the child to exit and for its output to be relayed; returns its exit status. */
    int waitFor() throws InterruptedException {
        int status = process.waitFor();
        for (Thread t : relays) {
            t.join();
        }
        if (watchdog != null) {
            watchdog.interrupt();
        }
        return status;
    }

    /** Whether the watchdog killed the child for running past its budget. */
    boolean timedOut() {
        return timedOut;
    }

    Process process() {
        return process;
    }

    /** Kills the child now (Ctrl-C, or the caller gave up on it). */
    void kill() {
        process.destroyForcibly();
    }
}
