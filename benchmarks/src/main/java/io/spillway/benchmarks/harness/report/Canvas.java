package io.spillway.benchmarks.harness.report;

/** The few drawing operations the chart needs, so that one layout yields both an SVG and a PNG. */
interface Canvas {

    /** Text anchors, as in SVG. */
    enum Anchor { START, MIDDLE, END }

    void rect(int x, int y, int width, int height, String color);

    void line(int x1, int y1, int x2, int y2, String color, boolean dashed);

    void text(int x, int y, int size, boolean bold, Anchor anchor, String color, String text);

    /** Text turned a quarter anti-clockwise, centred on (x, y). */
    void verticalText(int x, int y, int size, String color, String text);
}
