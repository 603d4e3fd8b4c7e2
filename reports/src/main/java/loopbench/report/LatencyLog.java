package loopbench.report;

import java.io.FileNotFoundException;
import java.nio.file.Path;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.DoubleHistogram;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * Reads an HdrHistogram interval log (as HistogramLogWriter writes it, values in nanoseconds)
 * and sums every interval into one histogram: the whole run's latency distribution.
 */
public final class LatencyLog {
    private LatencyLog() {}

    /** The summed histogram; throws when the file is missing, corrupt or holds no samples. */
    public static Histogram read(Path file) throws BadInputException {
        Histogram total = new Histogram(3);
        int intervals = 0;
        try (HistogramLogReader reader = new HistogramLogReader(file.toFile())) {
            EncodableHistogram interval;
            while ((interval = reader.nextIntervalHistogram()) != null) {
                intervals++;
                if (interval instanceof AbstractHistogram h) {
                    total.add(h);
                } else if (interval instanceof DoubleHistogram d) {
                    d.recordedValues()
                            .forEach(v -> total.recordValueWithCount(
                                    Math.round(v.getValueIteratedTo()), v.getCountAddedInThisIterationStep()));
                }
            }
        } catch (FileNotFoundException e) {
            throw new BadInputException(file, "file not found");
        } catch (RuntimeException e) {
            throw new BadInputException(file, "corrupt histogram log after " + intervals + " intervals: " + e);
        }
        if (total.getTotalCount() == 0) {
            throw new BadInputException(file, "histogram log has no samples (" + intervals + " intervals)");
        }
        return total;
    }
}
