package loopbench.bench.soak;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The live heap, measured as the heap in use at the end of a full collection that this class asks
 * for ({@code System.gc()}), read from the collector's own notification.
 *
 * <p>Why a full collection: a leak is memory that stays reachable, and only a full collection
 * measures what is reachable. The heap after an ordinary young collection also holds garbage
 * promoted since the last old-generation cycle, which G1 may leave for many minutes at a modest
 * allocation rate, so that figure rises and falls with the collector's timing, not with leaks. A
 * full collection of a live set of a few tens of MB takes tens of milliseconds: once per sample
 * (every few seconds) it costs the workload about 1% of its time.
 *
 * <p>Why the notification: reading the heap after {@code System.gc()} returns would also count what
 * the still-running workload allocated meanwhile. The notification reports the pools as the
 * collection left them. It is delivered on another thread, so only a notification for a
 * {@code System.gc()} this call started is taken (by its collection number). If none arrives (for instance
 * with -XX:+DisableExplicitGC) the heap in use after {@code System.gc()} returned is used instead,
 * and {@link #fellBack()} says so.
 */
final class HeapAfterGc implements AutoCloseable {
    private static final long WAIT_MILLIS = 5_000;

    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toSet());
    private final LinkedBlockingQueue<Collected> afterSystemGc = new LinkedBlockingQueue<>();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::onNotification;
    private boolean fellBack;

    /** One System.gc() collection: which collector, its number (GcInfo id), the heap it left. */
    private record Collected(String collector, long id, long heapBytes) {}

    HeapAfterGc() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter e) {
                e.addNotificationListener(listener, null, null);
                emitters.add(e);
            }
        }
    }

    private void onNotification(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        if (!"System.gc()".equals(info.getGcCause())) return;
        long bytes = 0;
        for (Map.Entry<String, MemoryUsage> e :
                info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(e.getKey())) bytes += e.getValue().getUsed();
        }
        afterSystemGc.add(new Collected(info.getGcName(), info.getGcInfo().getId(), bytes));
    }

    /** Runs a full collection and returns the heap in use at its end, in bytes. */
    long collect() throws InterruptedException {
        // A collection's id is its collector's count: one above the count now is this call's. (Not its
        // end time: GcInfo's clock and the runtime's uptime differ by milliseconds.)
        Map<String, Long> countBefore = new HashMap<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            countBefore.put(gc.getName(), gc.getCollectionCount());
        }
        System.gc();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            Collected c = afterSystemGc.poll(left, TimeUnit.NANOSECONDS);
            if (c == null) break;
            if (c.id() > countBefore.getOrDefault(c.collector(), Long.MAX_VALUE))
                return c.heapBytes(); // else an earlier sample's
        }
        fellBack = true;
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Whether some sample had no collector notification and used the heap in use after System.gc() returned. */
    boolean fellBack() {
        return fellBack;
    }

    /** The collectors' names, e.g. "G1 Young Generation", for the report. */
    static List<String> collectors() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName)
                .toList();
    }

    @Override
    public void close() {
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // never added
            }
        }
    }
}
