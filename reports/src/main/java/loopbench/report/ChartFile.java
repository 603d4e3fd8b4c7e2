package loopbench.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import loopbench.core.io.AtomicFile;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * A chart written to disk twice, as PNG (for report.html, where it is embedded) and as SVG (for
 * papers and zooming), both atomically. Keeps the PNG bytes so the HTML needs no second read.
 */
public record ChartFile(String name, String title, Path png, Path svg, byte[] pngBytes) {

    static ChartFile write(Chart<?, ?> chart, Path dir, String name) throws IOException {
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        ByteArrayOutputStream svg = new ByteArrayOutputStream();
        VectorGraphicsEncoder.saveVectorGraphic(chart, svg, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        Path pngPath = dir.resolve(name + ".png");
        Path svgPath = dir.resolve(name + ".svg");
        AtomicFile.write(pngPath, png);
        AtomicFile.write(svgPath, svg.toByteArray());
        return new ChartFile(name, chart.getTitle(), pngPath, svgPath, png);
    }
}
