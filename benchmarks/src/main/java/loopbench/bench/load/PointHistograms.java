package loopbench.bench.load;

import org.HdrHistogram.Histogram;

/**
 * What a sink records per successful request, one HdrHistogram each, in nanoseconds: latency
 * corrected and uncorrected, service time (the time the request's handler held its loop, I/O
 * waits excluded; see {@link RequestHandler}), and the measured duration of its CPU work, by
 * request class (heavy or light), to compare with the load's nominal figure.
 */
final class PointHistograms {
    final Histogram corrected = new Histogram(3);
    final Histogram uncorrected = new Histogram(3);
    final Histogram service = new Histogram(3);
    final Histogram workHeavy = new Histogram(3);
    final Histogram workLight = new Histogram(3);

    /** Records one successful request completed at {@code now}. */
    void record(Request r, long now) {
        corrected.recordValue(Math.max(0, now - r.intended));
        uncorrected.recordValue(Math.max(0, now - r.actual));
        service.recordValue(Math.max(0, r.serviceNanos));
        if (r.workNanos >= 0) (r.heavy ? workHeavy : workLight).recordValue(r.workNanos);
    }

    void add(PointHistograms o) {
        corrected.add(o.corrected);
        uncorrected.add(o.uncorrected);
        service.add(o.service);
        workHeavy.add(o.workHeavy);
        workLight.add(o.workLight);
    }

    void reset() {
        corrected.reset();
        uncorrected.reset();
        service.reset();
        workHeavy.reset();
        workLight.reset();
    }

    void setTimeStamps(long startMillis, long endMillis) {
        for (Histogram h : new Histogram[] {corrected, uncorrected, service, workHeavy, workLight}) {
            h.setStartTimeStamp(startMillis);
            h.setEndTimeStamp(endMillis);
        }
    }
}
