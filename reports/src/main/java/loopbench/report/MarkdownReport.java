package loopbench.report;

import java.nio.file.Path;

/** report.md: the report as GitHub-flavoured Markdown, charts linked as files next to it. */
public final class MarkdownReport {
    private MarkdownReport() {}

    public static String render(Report report, Path outDir) {
        StringBuilder md = new StringBuilder("# ").append(report.title()).append("\n\n");
        if (report.partialNotice() != null) {
            md.append("> **⚠ ").append(report.partialNotice()).append("**\n\n");
        }
        if (!report.problems().isEmpty()) {
            md.append("## What is missing\n\n");
            report.problems().forEach(p -> md.append("- ").append(p).append('\n'));
            md.append('\n');
        }
        if (!report.summary().isEmpty()) {
            md.append("## Summary\n\n");
            report.summary().forEach(s -> md.append("- ").append(s).append('\n'));
            md.append('\n');
        }
        for (Report.Section section : report.sections()) {
            md.append("## ").append(section.heading()).append("\n\n");
            for (Report.Block block : section.blocks()) {
                switch (block) {
                    case Report.Text t -> md.append(t.text()).append("\n\n");
                    case Report.Code c ->
                        md.append("```json\n").append(c.text()).append("\n```\n\n");
                    case Report.Chart c ->
                        md.append("![")
                                .append(c.file().title())
                                .append("](")
                                .append(link(outDir, c.file().png()))
                                .append(")  \n[SVG](")
                                .append(link(outDir, c.file().svg()))
                                .append(")\n\n");
                    case Report.Table t -> table(md, t);
                }
            }
        }
        return md.toString();
    }

    private static void table(StringBuilder md, Report.Table t) {
        md.append('|');
        t.header().forEach(h -> md.append(' ').append(cell(h)).append(" |"));
        md.append("\n|");
        for (int i = 0; i < t.header().size(); i++) {
            md.append(i >= t.firstNumeric() ? " ---: |" : " --- |");
        }
        md.append('\n');
        for (var row : t.rows()) {
            md.append('|');
            row.forEach(c -> md.append(' ').append(cell(c)).append(" |"));
            md.append('\n');
        }
        md.append('\n');
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    private static String link(Path outDir, Path file) {
        return outDir.toAbsolutePath()
                .relativize(file.toAbsolutePath())
                .toString()
                .replace('\\', '/');
    }
}
