package loopbench.core;

/**
 * A FIFO of jobs for one owner thread: the nextTick queue and the microtask queue are each one.
 * A power-of-two ring of the jobs themselves (callbacks, and promise reactions: {@link PromiseJob}), so queueing allocates nothing once it has grown
 * (Netty's style for its task queues); it never shrinks below what a burst needed.
 */
final class JobQueue<E> {
    private Object[] ring = new Object[64];
    private int head, tail; // head: next to take; tail: next free slot; equal when empty

    boolean isEmpty() {
        return head == tail;
    }

    int size() {
        return (tail - head) & (ring.length - 1);
    }

    void add(E job) {
        ring[tail] = job;
        tail = (tail + 1) & (ring.length - 1);
        if (tail == head) grow();
    }

    @SuppressWarnings("unchecked")
    E peek() {
        return (E) ring[head]; // null when empty: a taken slot is cleared
    }

    @SuppressWarnings("unchecked")
    E poll() {
        if (head == tail) return null;
        E job = (E) ring[head];
        ring[head] = null;
        head = (head + 1) & (ring.length - 1);
        return job;
    }

    void clear() {
        while (poll() != null) {
            /* drop references */
        }
    }

    private void grow() {
        Object[] bigger = new Object[ring.length << 1];
        int n = ring.length - head;
        System.arraycopy(ring, head, bigger, 0, n);
        System.arraycopy(ring, 0, bigger, n, head);
        head = 0;
        tail = ring.length;
        ring = bigger;
    }
}
