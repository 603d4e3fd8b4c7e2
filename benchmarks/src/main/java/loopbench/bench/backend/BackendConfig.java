package loopbench.bench.backend;

import java.util.Locale;
import loopbench.core.EventLoop;

/**
 * How a run's backend calls are made ({@code --backend}):
 * <ul>
 * <li>{@code simulated}: a timer per call ({@link SimulatedBackend});</li>
 * <li>{@code tcp}: a request frame to a {@link DelayBackend} over loopback TCP, on connections each
 *     loop opens when it starts ({@link DelayBackendClient}); {@code tcp} alone means a backend the
 *     harness starts itself (port 0 here until it has), {@code HOST:PORT} one that already runs;</li>
 * <li>{@code none}: what a load without backend calls records, whatever was asked, so that its
 *     results match across runs of either mode.</li>
 * </ul>
 *
 * @param mode               {@code simulated}, {@code tcp} or {@code none}
 * @param host               tcp: the backend's host
 * @param port               tcp: the backend's port; 0 while the harness has yet to start it
 * @param connectionsPerLoop tcp: connections each loop opens at start and pipelines its calls over
 */
public record BackendConfig(String mode, String host, int port, int connectionsPerLoop) {
    public static final String SIMULATED_MODE = "simulated";
    public static final String TCP_MODE = "tcp";
    public static final String NONE_MODE = "none";
    public static final int DEFAULT_CONNECTIONS_PER_LOOP = 4;
    public static final int MAX_CONNECTIONS_PER_LOOP = 256;

    public static final BackendConfig SIMULATED = new BackendConfig(SIMULATED_MODE, null, 0, 0);
    public static final BackendConfig NONE = new BackendConfig(NONE_MODE, null, 0, 0);

    public BackendConfig {
        switch (mode) {
            case SIMULATED_MODE, NONE_MODE -> {
                host = null;
                port = 0;
                connectionsPerLoop = 0;
            }
            case TCP_MODE -> {
                if (host == null || host.isBlank()) throw new IllegalArgumentException("a tcp backend needs a host");
                if (port < 0 || port > 65_535)
                    throw new IllegalArgumentException("backend port must be 1..65535, was " + port);
                if (connectionsPerLoop < 1 || connectionsPerLoop > MAX_CONNECTIONS_PER_LOOP) {
                    throw new IllegalArgumentException("backend connections per loop must be 1.."
                            + MAX_CONNECTIONS_PER_LOOP + ", was " + connectionsPerLoop);
                }
            }
            default ->
                throw new IllegalArgumentException("unknown backend mode '" + mode + "': use simulated, tcp or none");
        }
    }

    /** A DelayBackend at host:port ({@code port} 0: to be started by the harness). */
    public static BackendConfig tcp(String host, int port, int connectionsPerLoop) {
        return new BackendConfig(TCP_MODE, host, port, connectionsPerLoop);
    }

    /**
     * The {@code --backend} option: {@code simulated}, {@code tcp} (a DelayBackend the harness starts on
     * an ephemeral loopback port) or {@code HOST:PORT} (a DelayBackend already listening there).
     */
    public static BackendConfig parse(String value, int connectionsPerLoop) {
        String v = value.trim();
        if (v.equalsIgnoreCase(SIMULATED_MODE)) return SIMULATED;
        if (v.equalsIgnoreCase(TCP_MODE)) return tcp("127.0.0.1", 0, connectionsPerLoop);
        int colon = v.lastIndexOf(':');
        if (colon > 0 && colon < v.length() - 1) {
            int port;
            try {
                port = Integer.parseInt(v.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("--backend " + value + ": the port must be a number in 1..65535");
            }
            return tcp(v.substring(0, colon), port, connectionsPerLoop);
        }
        throw new IllegalArgumentException("--backend must be simulated, tcp (a delay backend started for the run) or "
                + "HOST:PORT (a running delay backend), was '" + value + "'");
    }

    public boolean isTcp() {
        return mode.equals(TCP_MODE);
    }

    /** tcp with no address yet: the harness starts a DelayBackend and calls {@link #at}. */
    public boolean needsBackendStarted() {
        return isTcp() && port == 0;
    }

    /** This config pointing at the backend the harness started. */
    public BackendConfig at(int startedPort) {
        return tcp(host, startedPort, connectionsPerLoop);
    }

    /** What a load with {@code backendCalls} calls per request uses: {@link #NONE} for a load without any. */
    public BackendConfig forCalls(int backendCalls) {
        return backendCalls == 0 ? NONE : this;
    }

    /** "host:port" (tcp), or the mode. */
    public String address() {
        return isTcp() ? host + ":" + port : mode;
    }

    /** One line for logs. */
    public String describe() {
        return switch (mode) {
            case TCP_MODE ->
                String.format(
                        Locale.ROOT,
                        "TCP to the delay backend at %s, %d pipelined connection%s per loop",
                        port == 0 ? host + ":(to be started)" : address(),
                        connectionsPerLoop,
                        connectionsPerLoop == 1 ? "" : "s");
            case SIMULATED_MODE -> "simulated (a timer per call)";
            default -> "none (the load makes no backend calls)";
        };
    }

    /** The backend calls of one loop, made on its owner (when it starts running). */
    public BackendCalls open(EventLoop loop) {
        if (needsBackendStarted())
            throw new IllegalStateException("the tcp backend has no address yet: start it first");
        return isTcp() ? new DelayBackendClient(loop, host, port, connectionsPerLoop) : new SimulatedBackend(loop);
    }
}
