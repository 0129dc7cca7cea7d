package dev.kizuna.ui;

import io.quarkus.qute.RawString;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * Charts drawn on the server as inline SVG: no script, nothing loaded from elsewhere, readable by
 * a screen reader (a title and a description) and by hovering (each mark has a title). Colours
 * come from the stylesheet through each series' class.
 */
final class SvgChart {

    private static final int WIDTH = 760;
    private static final int HEIGHT = 260;
    private static final int LEFT = 72;
    private static final int RIGHT = 12;
    private static final int TOP = 14;
    private static final int BOTTOM = 58;
    private static final int PLOT_WIDTH = WIDTH - LEFT - RIGHT;
    private static final int PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;

    /** Values of one series, one per label; null where there is none (a line has a gap there). */
    record Series(String name, String cssClass, List<Double> values) {}

    private SvgChart() {}

    /** Money with thousands separators and no decimals. */
    static String money(double amount) {
        return String.format(Locale.ROOT, "%,.0f", amount);
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    /**
     * Stacked bars, gains above the zero line and losses below it (each drawn from its positive
     * amount), one column per label.
     */
    static RawString stacked(
            String id,
            String title,
            String description,
            List<String> labels,
            List<Series> up,
            List<Series> down,
            DoubleFunction<String> format) {
        double maxUp = 0;
        double maxDown = 0;
        for (int i = 0; i < labels.size(); i++) {
            maxUp = Math.max(maxUp, sum(up, i));
            maxDown = Math.max(maxDown, sum(down, i));
        }
        double step = niceStep(Math.max(maxUp + maxDown, 1) / 4);
        double top = Math.max(step, Math.ceil(maxUp / step) * step);
        double bottom = Math.ceil(maxDown / step) * step;
        Scale scale = new Scale(-bottom, top);
        StringBuilder svg = open(id, title, description);
        grid(svg, scale, step, format);
        double slot = (double) PLOT_WIDTH / Math.max(1, labels.size());
        double barWidth = Math.max(2, slot * 0.6);
        for (int i = 0; i < labels.size(); i++) {
            double x = LEFT + slot * i + (slot - barWidth) / 2;
            double above = 0;
            for (Series series : up) {
                double value = valueAt(series, i);
                rect(
                        svg,
                        series,
                        x,
                        scale.y(above + value),
                        barWidth,
                        scale.y(above) - scale.y(above + value),
                        labels.get(i),
                        format.apply(value));
                above += value;
            }
            double below = 0;
            for (Series series : down) {
                double value = valueAt(series, i);
                rect(
                        svg,
                        series,
                        x,
                        scale.y(-below),
                        barWidth,
                        scale.y(-below - value) - scale.y(-below),
                        labels.get(i),
                        "−" + format.apply(value));
                below += value;
            }
        }
        xLabels(svg, labels, slot);
        List<Series> all = new ArrayList<>(up);
        all.addAll(down);
        legend(svg, all);
        return close(svg);
    }

    /** Bars side by side for each label, from zero. */
    static RawString grouped(
            String id,
            String title,
            String description,
            List<String> labels,
            List<Series> series,
            DoubleFunction<String> format) {
        double max = 0;
        for (Series one : series) {
            for (int i = 0; i < labels.size(); i++) {
                max = Math.max(max, valueAt(one, i));
            }
        }
        double step = niceStep(Math.max(max, 1e-9) / 4);
        Scale scale = new Scale(0, Math.max(step, Math.ceil(max / step) * step));
        StringBuilder svg = open(id, title, description);
        grid(svg, scale, step, format);
        double slot = (double) PLOT_WIDTH / Math.max(1, labels.size());
        double barWidth = slot * 0.7 / Math.max(1, series.size());
        for (int i = 0; i < labels.size(); i++) {
            for (int s = 0; s < series.size(); s++) {
                double value = valueAt(series.get(s), i);
                double x = LEFT + slot * i + slot * 0.15 + barWidth * s;
                rect(
                        svg,
                        series.get(s),
                        x,
                        scale.y(value),
                        barWidth,
                        scale.y(0) - scale.y(value),
                        labels.get(i),
                        format.apply(value));
            }
        }
        xLabels(svg, labels, slot);
        legend(svg, series);
        return close(svg);
    }

    /** Lines through the values, with a dashed reference line (100 % for retention). */
    static RawString lines(
            String id,
            String title,
            String description,
            List<String> labels,
            List<Series> series,
            double reference,
            DoubleFunction<String> format) {
        double min = reference;
        double max = reference;
        for (Series one : series) {
            for (Double value : one.values()) {
                if (value != null) {
                    min = Math.min(min, value);
                    max = Math.max(max, value);
                }
            }
        }
        double step = niceStep(Math.max(max - min, 0.01) / 4);
        Scale scale = new Scale(Math.floor(min / step) * step, Math.ceil(max / step) * step);
        if (scale.high() == scale.low()) {
            scale = new Scale(scale.low(), scale.low() + step);
        }
        StringBuilder svg = open(id, title, description);
        grid(svg, scale, step, format);
        double slot = (double) PLOT_WIDTH / Math.max(1, labels.size());
        svg.append(String.format(
                Locale.ROOT,
                "<line class=\"reference\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>",
                LEFT,
                LEFT + PLOT_WIDTH,
                scale.y(reference),
                scale.y(reference)));
        for (Series one : series) {
            StringBuilder path = new StringBuilder();
            boolean drawing = false;
            for (int i = 0; i < labels.size(); i++) {
                Double value = i < one.values().size() ? one.values().get(i) : null;
                if (value == null) {
                    drawing = false;
                    continue;
                }
                double x = LEFT + slot * i + slot / 2;
                path.append(String.format(Locale.ROOT, "%s%.1f %.1f ", drawing ? "L" : "M", x, scale.y(value)));
                drawing = true;
                svg.append(String.format(
                        Locale.ROOT,
                        "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\"><title>%s</title></circle>",
                        escape(one.cssClass()),
                        x,
                        scale.y(value),
                        escape(labels.get(i) + " · " + one.name() + ": " + format.apply(value))));
            }
            if (!path.isEmpty()) {
                svg.append("<path class=\"")
                        .append(escape(one.cssClass()))
                        .append(" line\" d=\"")
                        .append(path.toString().strip())
                        .append("\"/>");
            }
        }
        xLabels(svg, labels, slot);
        legend(svg, series);
        return close(svg);
    }

    /** The value range of the plot and where a value lands on it. */
    private record Scale(double low, double high) {
        double y(double value) {
            return TOP + (high - value) / (high - low) * PLOT_HEIGHT;
        }
    }

    private static StringBuilder open(String id, String title, String description) {
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"chart\" id=\"")
                .append(escape(id))
                .append("\" role=\"img\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(HEIGHT)
                .append("\" aria-labelledby=\"")
                .append(escape(id))
                .append("-title ")
                .append(escape(id))
                .append("-desc\" xmlns=\"http://www.w3.org/2000/svg\">")
                .append("<title id=\"")
                .append(escape(id))
                .append("-title\">")
                .append(escape(title))
                .append("</title>")
                .append("<desc id=\"")
                .append(escape(id))
                .append("-desc\">")
                .append(escape(description))
                .append("</desc>");
        return svg;
    }

    private static RawString close(StringBuilder svg) {
        return new RawString(svg.append("</svg>").toString());
    }

    private static void grid(StringBuilder svg, Scale scale, double step, DoubleFunction<String> format) {
        for (double value = scale.low(); value <= scale.high() + step / 1000; value += step) {
            double y = scale.y(value);
            svg.append(String.format(
                    Locale.ROOT,
                    "<line class=\"grid%s\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>",
                    Math.abs(value) < step / 1000 ? " zero" : "",
                    LEFT,
                    LEFT + PLOT_WIDTH,
                    y,
                    y));
            svg.append(String.format(
                    Locale.ROOT,
                    "<text class=\"axis\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
                    LEFT - 6,
                    y + 4,
                    escape(format.apply(value))));
        }
    }

    /** Every label when they fit, else every n-th, so that they never overlap. */
    private static void xLabels(StringBuilder svg, List<String> labels, double slot) {
        int every = (int) Math.max(1, Math.ceil(56 / slot));
        for (int i = 0; i < labels.size(); i += every) {
            svg.append(String.format(
                    Locale.ROOT,
                    "<text class=\"axis\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                    LEFT + slot * i + slot / 2,
                    TOP + PLOT_HEIGHT + 16,
                    escape(labels.get(i))));
        }
    }

    private static void legend(StringBuilder svg, List<Series> series) {
        double x = LEFT;
        for (Series one : series) {
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect class=\"swatch %s\" x=\"%.1f\" y=\"%d\" width=\"10\" height=\"10\"/>",
                    escape(one.cssClass()),
                    x,
                    HEIGHT - 20));
            svg.append(String.format(
                    Locale.ROOT,
                    "<text class=\"legend\" x=\"%.1f\" y=\"%d\">%s</text>",
                    x + 14,
                    HEIGHT - 11,
                    escape(one.name())));
            x += 24 + textWidth(one.name());
        }
    }

    /** About how wide a label is drawn: CJK characters take about twice the width of Latin ones. */
    private static double textWidth(String text) {
        return text.codePoints().mapToDouble(c -> c >= 0x2E80 ? 13 : 7.2).sum();
    }

    private static void rect(
            StringBuilder svg,
            Series series,
            double x,
            double y,
            double width,
            double height,
            String label,
            String value) {
        if (height <= 0) {
            return;
        }
        svg.append(String.format(
                Locale.ROOT,
                "<rect class=\"bar %s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%s</title></rect>",
                escape(series.cssClass()),
                x,
                y,
                width,
                height,
                escape(label + " · " + series.name() + ": " + value)));
    }

    private static double sum(List<Series> series, int index) {
        return series.stream().mapToDouble(one -> valueAt(one, index)).sum();
    }

    private static double valueAt(Series series, int index) {
        Double value = index < series.values().size() ? series.values().get(index) : null;
        return value == null ? 0 : Math.max(0, value);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code rough}. */
    static double niceStep(double rough) {
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double factor : new double[] {1, 2, 5, 10}) {
            if (factor * power >= rough) {
                return factor * power;
            }
        }
        return 10 * power;
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
