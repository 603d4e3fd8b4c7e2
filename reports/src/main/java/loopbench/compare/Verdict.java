package loopbench.compare;

/** The outcome for one metric of one benchmark. */
public enum Verdict {
    /** Worse by more than the threshold, and significantly so. */
    REGRESSION("regression"),
    /** Better by more than the threshold, and significantly so. */
    IMPROVEMENT("improvement"),
    /**
     * A load point's latency or lag changed by more than the threshold, but at the point's utilisation a
     * change of capacity within the threshold explains it ({@link Queueing}): shown, never a failure.
     */
    QUEUEING("queueing"),
    /** Changed by more than the threshold, but not significantly. */
    WITHIN_NOISE("within noise"),
    /** Changed by more than the threshold, and nothing measures the noise: shown, never a failure. */
    NO_ERROR_ESTIMATE("no error estimate"),
    /** Changed by no more than the threshold. */
    UNCHANGED("unchanged"),
    /** Not comparable: never judged or no direction defined, a unit that changed, or no score. */
    NOT_JUDGED("not judged");

    private final String text;

    Verdict(String text) {
        this.text = text;
    }

    @Override
    public String toString() {
        return text;
    }
}
