package loopbench.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import loopbench.schema.RunFiles;

/**
 * Where a bench run's backend calls go: {@code mode} is simulated (a timer per call), tcp (a
 * {@code loopbench.bench.backend.DelayBackend} this run starts in a JVM of its own, so its CPU time
 * and GC stay out of the measured JVM's figures) or HOST:PORT (one that already runs).
 *
 * <p>The started backend listens on an ephemeral loopback port and says where in its first line;
 * it exits when its stdin is closed ({@link #stop()}) or when this JVM dies. {@code address} is
 * set once it listens; {@code child} is guarded by this object's lock (the signal handler stops it).
 */
final class DelayBackendProcess {
    private static final String MAIN = "loopbench.bench.backend.DelayBackend";
    /** DelayBackend's first line: "delay-backend listening on 127.0.0.1:PORT with N selector threads". */
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+:\\d+)");

    final String mode;
    final int threads;
    final int connectionsPerLoop;
    private volatile String address;
    private ForkedJvm child;

    DelayBackendProcess(String mode, int threads, int connectionsPerLoop) {
        this.mode = mode;
        this.threads = threads;
        this.connectionsPerLoop = connectionsPerLoop;
        this.address = mode.equals("tcp") || mode.equals("simulated") ? null : mode;
    }

    boolean simulated() {
        return mode.equals("simulated");
    }

    boolean startsOwn() {
        return mode.equals("tcp");
    }

    /** The forks' --backend value. */
    String forkArgument() {
        return simulated() ? "simulated" : address;
    }

    /** Starts the backend in a JVM of its own and waits (20 s at most) for the line that says where it listens. */
    void start(Path jar, Path home, Placement placement, PrintStream err) throws IOException {
        // a small heap and the serial collector: it holds little, and should take no CPU from the measured JVM
        List<String> cmd = placement.pin(
                placement.backendCpus(),
                ForkedJvm.command(
                        List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC"),
                        home,
                        jar,
                        MAIN,
                        List.of("--port", "0", "--threads", Integer.toString(threads), "--exit-on-stdin-eof")));
        CompletableFuture<String> listening = new CompletableFuture<>();
        ForkedJvm started = ForkedJvm.start(
                cmd,
                home,
                line -> {
                    Matcher m = LISTENING.matcher(line);
                    if (!listening.isDone() && m.find()) {
                        listening.complete(m.group(1));
                    } else {
                        err.println("    backend: " + line);
                    }
                },
                null,
                null,
                true);
        synchronized (this) {
            child = started;
        }
        started.process()
                .onExit()
                .thenRun(() -> listening.completeExceptionally(
                        new IOException("the delay backend exited before it listened")));
        try {
            address = listening.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            stop();
            throw new IOException("cannot start the delay backend (" + String.join(" ", cmd) + "): "
                    + (e.getCause() != null
                            ? e.getCause().getMessage()
                            : "it did not say where it listens within 20 s"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IOException("interrupted while starting the delay backend");
        }
    }

    /** Stops the backend this run started, if any: closes its stdin, then waits 5 s before killing it. Idempotent. */
    void stop() {
        ForkedJvm c;
        synchronized (this) {
            c = child;
            child = null;
        }
        if (c == null) {
            return;
        }
        Process proc = c.process();
        try {
            proc.getOutputStream().close();
            if (!proc.waitFor(5, TimeUnit.SECONDS)) {
                proc.destroyForcibly();
                proc.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            proc.destroyForcibly();
        } catch (InterruptedException e) {
            proc.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The started backend's process id (the forks record its CPU time per point), or 0 when this run started none. */
    synchronized long pid() {
        return child == null ? 0 : child.process().pid();
    }

    /** Kills the backend at once (Ctrl-C). */
    synchronized void kill() {
        if (child != null) {
            child.kill();
        }
    }

    String describe() {
        if (simulated()) {
            return "simulated (a timer per call)";
        }
        return String.format(
                Locale.ROOT,
                "TCP to the delay backend at %s (%s), %d connection%s per loop",
                address,
                startsOwn()
                        ? "a JVM of its own, " + threads + " selector thread" + (threads == 1 ? "" : "s")
                        : "external",
                connectionsPerLoop,
                connectionsPerLoop == 1 ? "" : "s");
    }

    /** run.json's options.backend. */
    ObjectNode toJson() {
        ObjectNode b = JsonNodeFactory.instance.objectNode();
        b.put("mode", simulated() ? "simulated" : "tcp");
        if (!simulated()) {
            b.put("address", address);
            b.put("startedBy", startsOwn() ? "bench (a JVM of its own)" : "external");
            if (startsOwn()) {
                b.put("threads", threads);
            } else {
                b.putNull("threads");
            }
            b.put("connectionsPerLoop", connectionsPerLoop);
        }
        b.set("loads", RunFiles.JSON.valueToTree(BenchOptions.LOADS_WITH_BACKEND_CALLS));
        return b;
    }
}
