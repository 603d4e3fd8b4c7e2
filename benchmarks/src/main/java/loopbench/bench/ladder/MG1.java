package loopbench.bench.ladder;

/**
 * The M/G/1 queue: Poisson arrivals at rate lambda to one server whose service times have a general
 * distribution. One loop running a load's CPU work inline is such a server, so the harness can be
 * checked against the Pollaczek-Khinchine formula before it is trusted with anything harder:
 *
 * <pre>
 *   E[T] = E[S] + lambda E[S^2] / (2 (1 - rho)),   rho = lambda E[S] &lt; 1
 * </pre>
 *
 * where T is the time from arrival to completion (waiting plus service) and S the service time.
 * The moments are the measured ones, so calibration drift in the CPU work does not count as error.
 * Source: L. Kleinrock, <i>Queueing Systems, Vol. 1</i> (1975), eq. 5.105.
 *
 * @param meanService       E[S], seconds
 * @param secondMomentService E[S^2], seconds squared (at least E[S]^2)
 */
public record MG1(double meanService, double secondMomentService) {
    public MG1 {
        if (!(meanService > 0) || Double.isInfinite(meanService)) {
            throw new IllegalArgumentException("E[S] must be positive, was " + meanService);
        }
        // Jensen: E[S^2] >= E[S]^2; allow rounding in measured moments.
        if (!(secondMomentService >= meanService * meanService * (1 - 1e-9))) {
            throw new IllegalArgumentException(
                    "E[S^2] must be at least E[S]^2 = " + meanService * meanService + ", was " + secondMomentService);
        }
    }

    /** Utilization rho = lambda E[S]. */
    public double utilization(double lambda) {
        return lambda * meanService;
    }

    /** The arrival rate that loads the server to {@code rho}. */
    public double arrivalRateFor(double rho) {
        checkRho(rho);
        return rho / meanService;
    }

    /** E[W], the mean wait in the queue before service. */
    public double meanWait(double lambda) {
        double rho = utilization(lambda);
        checkRho(rho);
        return lambda * secondMomentService / (2 * (1 - rho));
    }

    /** E[T] = E[S] + E[W], the mean time from arrival to completion. */
    public double meanResponse(double lambda) {
        return meanService + meanWait(lambda);
    }

    private static void checkRho(double rho) {
        if (!(rho >= 0 && rho < 1))
            throw new IllegalArgumentException("utilization must be in [0, 1) for a stable queue, was " + rho);
    }
}
