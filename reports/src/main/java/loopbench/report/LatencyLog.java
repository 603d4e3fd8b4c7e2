package loopbench.report;

import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.DoubleHistogram;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * Reads an HdrHistogram interval log (as HistogramLogWriter writes it, values in nanoseconds)
 * as its intervals (repeated samples: compare's error estimate) or summed into one histogram (the
 * whole point's latency distribution).
 */
public final class LatencyLog {
    private LatencyLog() {}

    /** The summed histogram; throws when the file is missing, corrupt or holds no samples. */
    public static Histogram read(Path file) throws BadInputException {
        Histogram total = new Histogram(3);
        for (Histogram h : intervals(file)) total.add(h);
        if (total.getTotalCount() == 0) {
            throw new BadInputException(file, "histogram log has no samples");
        }
        return total;
    }

    /** Each interval of the log, in order, with its start and end time stamps (ms); throws when missing or corrupt. */
    public static List<Histogram> intervals(Path file) throws BadInputException {
        List<Histogram> out = new ArrayList<>();
        try (HistogramLogReader reader = new HistogramLogReader(file.toFile())) {
            EncodableHistogram interval;
            while ((interval = reader.nextIntervalHistogram()) != null) {
                Histogram one = new Histogram(3);
                if (interval instanceof AbstractHistogram h) {
                    one.add(h);
                } else if (interval instanceof DoubleHistogram d) {
                    d.recordedValues()
                            .forEach(v -> one.recordValueWithCount(
                                    Math.round(v.getValueIteratedTo()), v.getCountAddedInThisIterationStep()));
                }
                one.setStartTimeStamp(interval.getStartTimeStamp());
                one.setEndTimeStamp(interval.getEndTimeStamp());
                out.add(one);
            }
        } catch (FileNotFoundException e) {
            throw new BadInputException(file, "file not found");
        } catch (RuntimeException e) {
            throw new BadInputException(file, "corrupt histogram log after " + out.size() + " intervals: " + e);
        }
        return out;
    }
}
