package io.spillway.benchmarks.harness.report;

import java.util.Locale;

/** A {@link Canvas} that writes SVG by hand. */
final class SvgCanvas implements Canvas {

    private final StringBuilder svg = new StringBuilder();

    SvgCanvas(int width, int height) {
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Arial, sans-serif\">%n",
                width, height, width, height));
        rect(0, 0, width, height, "#ffffff");
    }

    @Override
    public void rect(int x, int y, int width, int height, String color) {
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n", x, y, width, height, color));
    }

    @Override
    public void line(int x1, int y1, int x2, int y2, String color, boolean dashed) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\"%s/>%n", x1, y1, x2, y2, color,
                dashed ? " stroke-dasharray=\"6,4\"" : ""));
    }

    @Override
    public void text(int x, int y, int size, boolean bold, Anchor anchor, String color, String text) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"%d\"%s text-anchor=\"%s\" fill=\"%s\">%s</text>%n",
                x, y, size, bold ? " font-weight=\"bold\"" : "", anchor.name().toLowerCase(Locale.ROOT), color, escape(text)));
    }

    @Override
    public void verticalText(int x, int y, int size, String color, String text) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" fill=\"%s\" text-anchor=\"middle\" transform=\"rotate(-90 %d %d)\">%s</text>%n",
                x, y, size, color, x, y, escape(text)));
    }

    String finish() {
        return svg + "</svg>\n";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
