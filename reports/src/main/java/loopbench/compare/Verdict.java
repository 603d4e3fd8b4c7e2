package loopbench.compare;

/** The outcome for one metric of one benchmark. */
public enum Verdict {
    /** Worse by more than the threshold and beyond the measurement error. */
    REGRESSION("regression"),
    /** Better by more than the threshold and beyond the measurement error. */
    IMPROVEMENT("improvement"),
    /** Changed by more than the threshold, but the error intervals overlap. */
    WITHIN_NOISE("within noise"),
    /** Changed by no more than the threshold. */
    UNCHANGED("unchanged"),
    /** Not comparable: unknown direction, a unit that changed, or no score. */
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
