package loopbench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loop lag over time from a lag probe CSV ({@code t_ms,lag_us}). Rows that do not parse (say, a
 * last line cut off by an interrupted run) are skipped and counted rather than failing the report.
 */
public record LagSeries(double[] timeMs, double[] lagMicros, int skippedRows) {

    static LagSeries read(Path file) throws BadInputException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file, "file not found");
        } catch (IOException e) {
            throw new BadInputException(file, "cannot read: " + e);
        }
        if (lines.isEmpty() || !lines.get(0).replace(" ", "").equalsIgnoreCase("t_ms,lag_us")) {
            throw new BadInputException(file, "expected the header t_ms,lag_us");
        }
        double[] t = new double[lines.size() - 1];
        double[] lag = new double[lines.size() - 1];
        int n = 0;
        int skipped = 0;
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",");
            try {
                t[n] = Double.parseDouble(cells[0].trim());
                lag[n] = Double.parseDouble(cells[1].trim());
                n++;
            } catch (RuntimeException e) {
                skipped++;
            }
        }
        return new LagSeries(java.util.Arrays.copyOf(t, n), java.util.Arrays.copyOf(lag, n), skipped);
    }

    public int size() {
        return timeMs.length;
    }
}
