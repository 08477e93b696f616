package io.spillway.benchmarks.harness.report;

import io.spillway.benchmarks.harness.HarnessResults;
import io.spillway.benchmarks.harness.ServerKind;
import io.spillway.benchmarks.harness.scenario.HugeUploadScenario;
import io.spillway.benchmarks.harness.scenario.MemoryStormScenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The chart of a run, as SVG and as PNG: one panel per scenario, one bar per server at the median
 * with a min–max whisker, targets as dashed lines, servers that died in red.
 */
public final class Chart {

    private static final int PANEL_WIDTH = 470;
    private static final int PANEL_HEIGHT = 300;
    private static final int TITLE_HEIGHT = 40;
    private static final int PLOT_LEFT = 62;
    private static final int PLOT_TOP = 44;
    private static final int PLOT_BOTTOM = 62;
    private static final String DIED = "#c0392b";
    private static final String TARGET = "#2e7d32";

    private record Bar(ServerKind server, Stat value, String note, boolean died) {
    }

    private record Panel(String title, String unit, List<Bar> bars, double target, String targetLabel) {
    }

    private final HarnessResults results;
    private final List<Panel> panels;

    /** Lays out the chart of one run. */
    public Chart(HarnessResults results) {
        this.results = results;
        this.panels = panels(results);
    }

    /** The chart as an SVG document. */
    public String svg() {
        SvgCanvas canvas = new SvgCanvas(width(), height());
        draw(canvas);
        return canvas.finish();
    }

    /** The chart as a PNG image. */
    public byte[] png() {
        PngCanvas canvas = new PngCanvas(width(), height());
        draw(canvas);
        return canvas.finish();
    }

    private int width() {
        return Math.min(2, Math.max(1, panels.size())) * PANEL_WIDTH + 20;
    }

    private int height() {
        return TITLE_HEIGHT + Math.max(1, (panels.size() + 1) / 2) * PANEL_HEIGHT + 10;
    }

    private void draw(Canvas canvas) {
        canvas.text(10, 26, 15, true, Canvas.Anchor.START, "#000000", "Spillway side by side: " + results.options().profile().name() + " run, "
                + results.machine().cores() + " cores, " + results.machine().date().substring(0, 10) + " (bars: median, whiskers: min–max)");
        for (int i = 0; i < panels.size(); i++) {
            panel(canvas, panels.get(i), 10 + (i % 2) * PANEL_WIDTH, TITLE_HEIGHT + (i / 2) * PANEL_HEIGHT);
        }
    }

    private static List<Panel> panels(HarnessResults results) {
        Summary summary = new Summary(results);
        List<Panel> panels = new ArrayList<>();
        if (results.large() != null) {
            List<Bar> bars = new ArrayList<>();
            for (ServerKind kind : results.servers()) {
                Stat ratio = summary.largeRatioToRaw(kind);
                String note = kind == ServerKind.R || ratio.isEmpty() ? "" : String.format(Locale.ROOT, "%.2f × R", ratio.median());
                bars.add(new Bar(kind, summary.largeThroughput(kind), note, false));
            }
            panels.add(new Panel("1: one " + MarkdownReport.size(results.large().uploadSize()) + " upload", "MB/s", bars, Double.NaN, ""));
        }
        if (results.small() != null) {
            List<Bar> bars = new ArrayList<>();
            for (ServerKind kind : results.servers()) {
                bars.add(new Bar(kind, summary.smallThroughput(kind), "", false));
            }
            panels.add(new Panel("2: " + MarkdownReport.size(results.small().uploadSize()) + " uploads, " + results.small().concurrency() + " at a time",
                    "uploads/s", bars, Double.NaN, ""));
        }
        if (results.storm() != null) {
            List<Bar> bars = new ArrayList<>();
            for (ServerKind kind : results.servers()) {
                boolean died = summary.stormRuns(kind).stream().anyMatch(MemoryStormScenario.Run::died);
                bars.add(new Bar(kind, summary.stormSucceeded(kind), died ? "died (OOM)" : "", died));
            }
            panels.add(new Panel("3: " + results.storm().uploads() + " × " + MarkdownReport.size(results.storm().uploadSize()) + " at once, -Xmx"
                    + results.storm().heap(), "uploads that succeeded", bars, results.storm().uploads(), "all " + results.storm().uploads()));
        }
        if (results.huge() != null) {
            List<Bar> bars = new ArrayList<>();
            for (ServerKind kind : results.servers()) {
                boolean died = summary.hugeRuns(kind).stream().anyMatch(HugeUploadScenario.Run::died);
                bars.add(new Bar(kind, summary.hugePeakGrowth(kind), died ? "died (OOM)" : "", died));
            }
            panels.add(new Panel("4: one " + MarkdownReport.size(results.huge().uploadSize()) + " upload, -Xmx" + results.huge().heap(),
                    "peak heap growth, MiB", bars, 16, "target < 16 MiB"));
        }
        return panels;
    }

    private static void panel(Canvas canvas, Panel panel, int x, int y) {
        int plotLeft = x + PLOT_LEFT;
        int plotTop = y + PLOT_TOP;
        int plotWidth = PANEL_WIDTH - PLOT_LEFT - 20;
        int plotHeight = PANEL_HEIGHT - PLOT_TOP - PLOT_BOTTOM;
        int plotBottom = plotTop + plotHeight;
        canvas.text(x + PANEL_WIDTH / 2, y + 22, 13, true, Canvas.Anchor.MIDDLE, "#000000", panel.title());
        double top = niceTop(panel);
        for (int i = 0; i <= 4; i++) {
            double value = top * i / 4;
            int gy = plotBottom - scale(value, top, plotHeight);
            canvas.line(plotLeft, gy, plotLeft + plotWidth, gy, "#dddddd", false);
            canvas.text(plotLeft - 6, gy + 4, 10, false, Canvas.Anchor.END, "#555555", number(value));
        }
        canvas.verticalText(x + 16, plotTop + plotHeight / 2, 11, "#555555", panel.unit());
        int slot = plotWidth / Math.max(1, panel.bars().size());
        int barWidth = Math.min(50, slot * 3 / 5);
        for (int i = 0; i < panel.bars().size(); i++) {
            bar(canvas, panel.bars().get(i), plotLeft + slot * i + slot / 2, barWidth, plotBottom, plotHeight, top);
        }
        canvas.line(plotLeft, plotBottom, plotLeft + plotWidth, plotBottom, "#000000", false);
        if (!Double.isNaN(panel.target())) {
            int ty = plotBottom - scale(panel.target(), top, plotHeight);
            canvas.line(plotLeft, ty, plotLeft + plotWidth, ty, TARGET, true);
            canvas.text(plotLeft + plotWidth, ty - 4, 10, false, Canvas.Anchor.END, TARGET, panel.targetLabel());
        }
    }

    private static void bar(Canvas canvas, Bar bar, int cx, int barWidth, int plotBottom, int plotHeight, double top) {
        Stat value = bar.value();
        if (value.isEmpty()) {
            canvas.text(cx, plotBottom - 6, 11, false, Canvas.Anchor.MIDDLE, DIED, "n/a");
        } else {
            int h = scale(value.median(), top, plotHeight);
            canvas.rect(cx - barWidth / 2, plotBottom - h, barWidth, h, bar.died() ? DIED : color(bar.server()));
            int labelY = plotBottom - h;
            if (value.count() > 1) {
                int yMin = plotBottom - scale(value.min(), top, plotHeight);
                int yMax = plotBottom - scale(value.max(), top, plotHeight);
                canvas.line(cx, yMin, cx, yMax, "#222222", false);
                canvas.line(cx - 6, yMin, cx + 6, yMin, "#222222", false);
                canvas.line(cx - 6, yMax, cx + 6, yMax, "#222222", false);
                labelY = Math.min(labelY, yMax);
            }
            canvas.text(cx, labelY - 5, 11, true, Canvas.Anchor.MIDDLE, "#000000", number(value.median()));
        }
        canvas.text(cx, plotBottom + 16, 12, true, Canvas.Anchor.MIDDLE, color(bar.server()), bar.server().name());
        canvas.text(cx, plotBottom + 30, 10, false, Canvas.Anchor.MIDDLE, "#333333", bar.server().shortLabel());
        if (!bar.note().isEmpty()) {
            canvas.text(cx, plotBottom + 45, 11, true, Canvas.Anchor.MIDDLE, bar.died() ? DIED : "#333333", bar.note());
        }
    }

    private static int scale(double value, double top, int plotHeight) {
        return (int) Math.round(plotHeight * Math.max(0, value) / top);
    }

    private static double niceTop(Panel panel) {
        double max = panel.bars().stream().filter(b -> !b.value().isEmpty()).mapToDouble(b -> b.value().max()).max().orElse(1);
        if (!Double.isNaN(panel.target())) {
            max = Math.max(max, panel.target());
        }
        max = Math.max(max * 1.15, 1e-9);
        double magnitude = Math.pow(10, Math.floor(Math.log10(max)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= max) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String number(double value) {
        if (Math.abs(value) >= 100 || value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 10 ? "%.1f" : "%.2f", value);
    }

    private static String color(ServerKind kind) {
        return switch (kind) {
            case A -> "#1f6fb4";
            case B -> "#e67e22";
            case C -> "#8e44ad";
            case D -> "#16a085";
            case R -> "#7f8c8d";
            case N -> "#2c3e50";
        };
    }
}
