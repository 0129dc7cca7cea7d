package dev.kizuna.benchmark;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The figures of one benchmark run: printed as a table and written as JSON. */
final class BenchmarkReport {

    /**
     * One figure. {@code raw} is the baseline measured in the same run (null where the measure
     * has none); {@code met} says whether the target was reached.
     */
    record Figure(
            String measure,
            String unit,
            double kizuna,
            Double raw,
            String target,
            boolean met,
            Map<String, Object> details) {

        @JsonProperty("ratio")
        Double ratio() {
            return raw == null || raw == 0 ? null : kizuna / raw;
        }
    }

    private final List<Figure> figures = new ArrayList<>();
    private final Map<String, Object> machine = new LinkedHashMap<>();

    BenchmarkReport() {
        machine.put("processors", Runtime.getRuntime().availableProcessors());
        machine.put(
                "os",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("cpu", cpuModel());
        machine.put("memoryGiB", memoryGiB());
    }

    void add(Figure figure) {
        figures.add(figure);
        System.out.println(line(figure));
    }

    void addMachineFact(String name, Object value) {
        machine.put(name, value);
    }

    String table() {
        StringBuilder table = new StringBuilder();
        table.append(String.format(
                Locale.ROOT, "%-46s %14s %14s %7s  %-28s %s%n", "measure", "kizuna", "raw", "ratio", "target", "met"));
        for (Figure figure : figures) {
            table.append(line(figure)).append('\n');
        }
        table.append("machine: ").append(machine).append('\n');
        return table.toString();
    }

    void write(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("at", Instant.now().toString());
        json.put("machine", machine);
        json.put("figures", figures);
        Files.createDirectories(file.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
    }

    private static String line(Figure figure) {
        Double ratio = figure.ratio();
        return String.format(
                Locale.ROOT,
                "%-46s %14s %14s %7s  %-28s %s",
                figure.measure() + " (" + figure.unit() + ")",
                number(figure.kizuna()),
                figure.raw() == null ? "" : number(figure.raw()),
                ratio == null ? "" : String.format(Locale.ROOT, "%.2f", ratio),
                figure.target(),
                figure.met() ? "yes" : "NO");
    }

    private static String number(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip())
                    .findFirst()
                    .orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static Object memoryGiB() {
        try {
            String total = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("[^0-9]", "");
            return Math.round(Long.parseLong(total) / 1024.0 / 1024.0);
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
