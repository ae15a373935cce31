package io.ringcache.loadtest.report;

import static io.ringcache.loadtest.report.Fmt.html;
import static io.ringcache.loadtest.report.Fmt.num;

import java.util.function.DoubleFunction;

/**
 * Builds one inline SVG chart. Coordinates are in a fixed {@value #WIDTH}-unit wide viewBox that
 * the page scales to its column, so layout arithmetic never depends on the reader's window. Look
 * (fonts, grid colours) comes from the page's CSS classes; only series colours are inline.
 */
final class Svg {

  static final int WIDTH = 1160;
  static final double LEFT = 78;
  static final double RIGHT = WIDTH - 28;

  private final StringBuilder out = new StringBuilder(8192);

  Svg(double height, String label) {
    out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH).append(' ')
        .append(num(height)).append("\" role=\"img\" aria-label=\"").append(html(label))
        .append("\">\n");
  }

  Svg line(double x1, double y1, double x2, double y2, String cls) {
    out.append("<line class=\"").append(cls).append("\" x1=\"").append(num(x1))
        .append("\" y1=\"").append(num(y1)).append("\" x2=\"").append(num(x2))
        .append("\" y2=\"").append(num(y2)).append("\"/>\n");
    return this;
  }

  Svg coloredLine(double x1, double y1, double x2, double y2, String cls, String color) {
    out.append("<line class=\"").append(cls).append("\" stroke=\"").append(color)
        .append("\" x1=\"").append(num(x1)).append("\" y1=\"").append(num(y1))
        .append("\" x2=\"").append(num(x2)).append("\" y2=\"").append(num(y2)).append("\"/>\n");
    return this;
  }

  /** Text; {@code anchor} is {@code start}, {@code middle} or {@code end}. */
  Svg text(double x, double y, String text, String cls, String anchor) {
    out.append("<text class=\"").append(cls).append("\" x=\"").append(num(x)).append("\" y=\"")
        .append(num(y)).append("\" text-anchor=\"").append(anchor).append("\">")
        .append(html(text)).append("</text>\n");
    return this;
  }

  Svg coloredText(double x, double y, String text, String cls, String anchor, String color) {
    out.append("<text class=\"").append(cls).append("\" fill=\"").append(color).append("\" x=\"")
        .append(num(x)).append("\" y=\"").append(num(y)).append("\" text-anchor=\"")
        .append(anchor).append("\">").append(html(text)).append("</text>\n");
    return this;
  }

  /** A rectangle with a hover tooltip ({@code <title>}); zero or negative sizes draw nothing. */
  Svg rect(double x, double y, double w, double h, String fill, double opacity, String tooltip) {
    if (!(w > 0) || !(h > 0)) {
      return this;
    }
    out.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" width=\"")
        .append(num(w)).append("\" height=\"").append(num(h)).append("\" fill=\"").append(fill)
        .append('"');
    if (opacity < 1) {
      out.append(" fill-opacity=\"").append(num(opacity)).append('"')
          .append(" stroke=\"").append(fill).append("\" stroke-width=\"1\"");
    }
    out.append("><title>").append(html(tooltip)).append("</title></rect>\n");
    return this;
  }

  Svg path(String d, String stroke, double width, String cls) {
    if (d.isEmpty()) {
      return this;
    }
    out.append("<path class=\"").append(cls).append("\" d=\"").append(d).append("\" stroke=\"")
        .append(stroke).append("\" stroke-width=\"").append(num(width)).append("\"/>\n");
    return this;
  }

  /** A line with a hover tooltip naming it, such as an operation's series. */
  Svg titledPath(String d, String stroke, double width, String cls, String title) {
    if (d.isEmpty()) {
      return this;
    }
    out.append("<path class=\"").append(cls).append("\" d=\"").append(d).append("\" stroke=\"")
        .append(stroke).append("\" stroke-width=\"").append(num(width)).append("\"><title>")
        .append(html(title)).append("</title></path>\n");
    return this;
  }

  Svg dot(double x, double y, String fill) {
    out.append("<circle cx=\"").append(num(x)).append("\" cy=\"").append(num(y))
        .append("\" r=\"3\" fill=\"").append(fill).append("\"/>\n");
    return this;
  }

  /** Horizontal grid lines and labels at each tick of {@code y}, title rotated on the left. */
  Svg yAxis(Scale y, DoubleFunction<String> label, String title) {
    for (double t : y.minorTicks()) {
      line(LEFT, y.map(t), RIGHT, y.map(t), "grid minor");
    }
    for (double t : y.ticks()) {
      double py = y.map(t);
      line(LEFT, py, RIGHT, py, "grid");
      text(LEFT - 8, py + 4, label.apply(t), "tick", "end");
    }
    double mid = (y.map(y.min()) + y.map(y.max())) / 2;
    out.append("<text class=\"axis-title\" text-anchor=\"middle\" transform=\"translate(18 ")
        .append(num(mid)).append(") rotate(-90)\">").append(html(title)).append("</text>\n");
    line(LEFT, y.map(y.min()), LEFT, y.map(y.max()), "axis");
    return this;
  }

  /**
   * Vertical grid lines from {@code top} to {@code bottom} at each tick of {@code x}, labels under
   * {@code bottom} when {@code labelled}, and the axis title centred below them.
   */
  Svg xAxis(Scale x, double top, double bottom, DoubleFunction<String> label, String title,
      boolean labelled) {
    for (double t : x.minorTicks()) {
      line(x.map(t), top, x.map(t), bottom, "grid minor");
    }
    for (double t : x.ticks()) {
      double px = x.map(t);
      line(px, top, px, bottom, "grid");
      if (labelled) {
        text(px, bottom + 17, label.apply(t), "tick", "middle");
      }
    }
    line(LEFT, bottom, RIGHT, bottom, "axis");
    if (labelled) {
      text((LEFT + RIGHT) / 2, bottom + 36, title, "axis-title", "middle");
    }
    return this;
  }

  /** A centred note over an empty plot. */
  Svg note(double top, double bottom, String text) {
    return text((LEFT + RIGHT) / 2, (top + bottom) / 2 + 5, text, "note", "middle");
  }

  String close() {
    return out.append("</svg>").toString();
  }
}
