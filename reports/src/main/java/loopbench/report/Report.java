package loopbench.report;

import java.util.List;

/**
 * What a report says, independent of how it is written out: {@link MarkdownReport} and
 * {@link HtmlReport} render the same content, so report.md and report.html never disagree.
 */
public record Report(
        String title, String partialNotice, List<String> problems, List<String> summary, List<Section> sections) {

    public record Section(String heading, List<Block> blocks) {}

    /** A piece of a section. */
    public sealed interface Block permits Text, Table, Chart, Code {}

    public record Text(String text) implements Block {}

    /** A table; columns from {@code firstNumeric} on hold numbers and are right-aligned. */
    public record Table(List<String> header, List<List<String>> rows, int firstNumeric) implements Block {}

    public record Chart(ChartFile file) implements Block {}

    public record Code(String text) implements Block {}
}
