package io.spillway.benchmarks.slow;

import io.spillway.benchmarks.slow.SlowUploadsBenchmark.Mode;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The Markdown table and the SVG plot (memory per upload and GET p99 against N) of a run. */
final class SlowUploadsReport {

    private SlowUploadsReport() {
    }

    static String markdown(List<SlowUploadsBenchmark.Run> runs, int size, long rate) {
        StringBuilder md = new StringBuilder("# Thousands of slow uploads in flight\n\n");
        md.append(String.format(Locale.ROOT, "Each of N clients sends one %d KiB file at %d KiB/s (non-blocking sockets, "
                + "a 32 KiB send buffer, opened at 2,000 per second, each sending every 100 ms, the uploads spread "
                + "over ten phases 10 ms apart) to a fresh server JVM (`-Xmx2g`, embedded Tomcat 11 on its "
                + "defaults: 200 threads, 8,192 connections). Once all N are open: a GET to another servlet "
                + "every 100 ms, one after another, started in the first 2 s while the server catches up with "
                + "the opening (*settling max*: the slowest of those) and, by a second sampler beside it, started "
                + "in the 5 s after that, with all N in flight (p50, p99; a GET started in the window counts "
                + "however long it waits); then the heap after a full GC and the process's RSS, each over its value before the uploads, divided by the uploads "
                + "then in flight. NaN: the server did not answer that GET (30 s) or the heap reading (2 min) "
                + "in time, or no upload was left in flight by then.%n%n",
                size >> 10, rate >> 10));
        md.append("The servers, each in embedded Tomcat 11:\n\n");
        for (Mode mode : runs.stream().map(SlowUploadsBenchmark.Run::mode).distinct().toList()) {
            md.append("- **").append(mode.label).append("**: ").append(mode.description()).append('\n');
        }
        md.append('\n');
        md.append("| server | N | GET settling max ms | GET p50 ms | GET p99 ms | GETs failed | heap per upload KiB "
                + "| RSS per upload KiB | JVM threads | in flight | outcomes |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (SlowUploadsBenchmark.Run run : runs) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %d | %.1f | %.1f | %d | %d | %s |%n",
                    run.mode().label, run.count(), run.getMaxSettlingMillis(), run.getP50Millis(), run.getP99Millis(), run.getFailures(),
                    run.heapPerUpload() / 1024, run.rssPerUpload() / 1024, run.threads(), run.inFlight(),
                    run.outcomes()));
        }
        md.append("\n![memory per upload and GET p99 against N](slow-uploads.svg)\n");
        return md.toString();
    }

    static String svg(List<SlowUploadsBenchmark.Run> runs) {
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"900\" height=\"380\" "
                + "font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"900\" height=\"380\" fill=\"white\"/>\n");
        panel(svg, runs, 60, "heap per upload in flight (KiB)", r -> r.heapPerUpload() / 1024);
        panel(svg, runs, 510, "GET p99 while they run (ms)", SlowUploadsBenchmark.Run::getP99Millis);
        List<Mode> modes = runs.stream().map(SlowUploadsBenchmark.Run::mode).distinct().toList();
        for (int i = 0; i < modes.size(); i++) {
            int x = 10 + i % 3 * 295;
            int y = 336 + i / 3 * 18;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", x, y - 10, modes.get(i).colour, x + 16, y,
                    modes.get(i).label));
        }
        return svg.append("</svg>\n").toString();
    }

    /** One panel: x is log10(N), y linear from 0 to the largest value. */
    private static void panel(StringBuilder svg, List<SlowUploadsBenchmark.Run> runs, int left, String title,
                              ToDoubleFunction<SlowUploadsBenchmark.Run> value) {
        int width = 330;
        int height = 240;
        int top = 40;
        double minX = runs.stream().mapToDouble(r -> Math.log10(r.count())).min().orElse(0);
        double maxX = runs.stream().mapToDouble(r -> Math.log10(r.count())).max().orElse(1);
        double maxY = runs.stream().mapToDouble(value).filter(Double::isFinite).max().orElse(1);
        maxY = maxY <= 0 ? 1 : maxY * 1.1;
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", left, top - 15,
                title));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>"
                + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                left, top + height, left + width, top + height, left, top, left, top + height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.0f</text>%n", left - 4,
                top + 4, maxY));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>%n", left - 4,
                top + height));
        for (Mode mode : runs.stream().map(SlowUploadsBenchmark.Run::mode).distinct().toList()) {
            StringBuilder points = new StringBuilder();
            for (SlowUploadsBenchmark.Run run : runs.stream().filter(r -> r.mode() == mode).toList()) {
                double v = value.applyAsDouble(run);
                if (!Double.isFinite(v)) {
                    continue;
                }
                double x = left + (maxX == minX ? width / 2.0 : (Math.log10(run.count()) - minX) / (maxX - minX) * width);
                double y = top + height - Math.max(0, v) / maxY * height;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x, y,
                        mode.colour));
            }
            svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\"/>%n",
                    points.toString().trim(), mode.colour));
        }
        for (int count : runs.stream().mapToInt(SlowUploadsBenchmark.Run::count).distinct().toArray()) {
            double x = left + (maxX == minX ? width / 2.0 : (Math.log10(count) - minX) / (maxX - minX) * width);
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">N=%d</text>%n", x,
                    top + height + 16, count));
        }
    }
}
