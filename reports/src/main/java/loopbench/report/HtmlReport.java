package loopbench.report;

import java.util.Base64;

/**
 * report.html: one self-contained file (inline CSS, charts as base64 PNG data URIs, no external
 * resources) that can be mailed or attached to a CI run and still shows everything.
 */
public final class HtmlReport {
    private static final String CSS = """
      body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
      h1{font-size:1.7em;border-bottom:2px solid #ddd;padding-bottom:.3em}
      h2{font-size:1.3em;margin-top:2em;border-bottom:1px solid #eee;padding-bottom:.2em}
      /* a table wider than the page (the service table has 13 columns) scrolls by itself, not the page */
      table{border-collapse:collapse;margin:1em 0;font-size:.9em;display:block;max-width:100%;overflow-x:auto}
      th,td{border:1px solid #d0d7de;padding:.3em .6em}
      th{background:#f6f8fa;text-align:left}
      td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
      tr:nth-child(even) td{background:#fafbfc}
      img{max-width:100%;height:auto;border:1px solid #eee;margin:.5em 0}
      .partial{background:#fff4e5;border:1px solid #f0a020;padding:.8em 1em;border-radius:6px;font-weight:bold}
      .missing{background:#fdf2f2;border:1px solid #e0b4b4;padding:.5em 1em .5em 2em;border-radius:6px}
      .summary{background:#f1f8ff;border:1px solid #c8e1ff;padding:.5em 1em .5em 2em;border-radius:6px}
      pre{background:#f6f8fa;padding:1em;overflow:auto;font-size:.85em}
      .svg{font-size:.85em;color:#555}
      """;

    private HtmlReport() {}

    public static String render(Report report) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>")
                .append(esc(report.title()))
                .append("</title><style>")
                .append(CSS)
                .append("</style></head><body>\n<h1>")
                .append(esc(report.title()))
                .append("</h1>\n");
        if (report.partialNotice() != null) {
            h.append("<p class=\"partial\">⚠ ")
                    .append(esc(report.partialNotice()))
                    .append("</p>\n");
        }
        if (!report.problems().isEmpty()) {
            h.append("<h2>What is missing</h2>\n<ul class=\"missing\">");
            report.problems().forEach(p -> h.append("<li>").append(esc(p)).append("</li>"));
            h.append("</ul>\n");
        }
        if (!report.summary().isEmpty()) {
            h.append("<h2>Summary</h2>\n<ul class=\"summary\">");
            report.summary().forEach(s -> h.append("<li>").append(esc(s)).append("</li>"));
            h.append("</ul>\n");
        }
        for (Report.Section section : report.sections()) {
            h.append("<h2>").append(esc(section.heading())).append("</h2>\n");
            for (Report.Block block : section.blocks()) {
                switch (block) {
                    case Report.Text t -> h.append("<p>").append(esc(t.text())).append("</p>\n");
                    case Report.Code c ->
                        h.append("<pre>").append(esc(c.text())).append("</pre>\n");
                    case Report.Chart c ->
                        h.append("<figure><img alt=\"")
                                .append(esc(c.file().title()))
                                .append("\" width=\"")
                                .append(ChartStyle.WIDTH)
                                .append("\" src=\"data:image/png;base64,")
                                .append(Base64.getEncoder()
                                        .encodeToString(c.file().pngBytes()))
                                .append("\"><figcaption class=\"svg\">")
                                .append("SVG: charts/")
                                .append(esc(c.file().svg().getFileName().toString()))
                                .append("</figcaption></figure>\n");
                    case Report.Table t -> table(h, t);
                }
            }
        }
        return h.append("</body></html>\n").toString();
    }

    private static void table(StringBuilder h, Report.Table t) {
        h.append("<table><thead><tr>");
        t.header().forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
        h.append("</tr></thead><tbody>\n");
        for (var row : t.rows()) {
            h.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                h.append(i >= t.firstNumeric() ? "<td class=\"n\">" : "<td>")
                        .append(esc(row.get(i)))
                        .append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
