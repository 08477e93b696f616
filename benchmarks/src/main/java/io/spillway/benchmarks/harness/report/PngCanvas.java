package io.spillway.benchmarks.harness.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** A {@link Canvas} that draws with Java2D (headless) and encodes a PNG. */
final class PngCanvas implements Canvas {

    private static final BasicStroke SOLID = new BasicStroke(1f);
    private static final BasicStroke DASHED = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);

    private final BufferedImage image;
    private final Graphics2D g;

    PngCanvas(int width, int height) {
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        rect(0, 0, width, height, "#ffffff");
    }

    @Override
    public void rect(int x, int y, int width, int height, String color) {
        g.setColor(Color.decode(color));
        g.fillRect(x, y, width, height);
    }

    @Override
    public void line(int x1, int y1, int x2, int y2, String color, boolean dashed) {
        g.setColor(Color.decode(color));
        g.setStroke(dashed ? DASHED : SOLID);
        g.drawLine(x1, y1, x2, y2);
    }

    @Override
    public void text(int x, int y, int size, boolean bold, Anchor anchor, String color, String text) {
        g.setColor(Color.decode(color));
        g.setFont(new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, size));
        int width = g.getFontMetrics().stringWidth(text);
        int left = switch (anchor) {
            case START -> x;
            case MIDDLE -> x - width / 2;
            case END -> x - width;
        };
        g.drawString(text, left, y);
    }

    @Override
    public void verticalText(int x, int y, int size, String color, String text) {
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2, x, y);
        text(x, y, size, false, Anchor.MIDDLE, color, text);
        g.setTransform(saved);
    }

    byte[] finish() {
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode the chart", e);
        }
        return png.toByteArray();
    }
}
