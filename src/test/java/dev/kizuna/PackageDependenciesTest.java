package dev.kizuna;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages under dev.kizuna depend on each other one way: ingest, then decisions, then
 * rules and templates, then delivery, then messages. A cycle means two packages can only be
 * understood and changed together; this test names each one with the files that make it.
 * The application's edges (the web UI, scheduled jobs, privacy requests, REST resources spanning
 * packages, the main class) sit on top of everything and nothing depends on them.
 */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/kizuna");

    /** The root package, as a name in the graph. */
    private static final String ROOT = "(dev.kizuna)";

    /** api: one REST resource per address tree (rules, accounts, users) spanning packages sits above them all. */
    private static final Set<String> EDGES_OF_THE_APPLICATION = Set.of("ui", "scheduling", "privacy", "api", ROOT);

    /** A class of another package named in code: an import (static too) or a qualified name. */
    private static final Pattern REFERENCE =
            Pattern.compile("\\bdev\\.kizuna\\.(?:([a-z][a-z0-9]*)\\.)?(?:[a-z][a-z0-9]*\\.)*[A-Z]");

    @Test
    void packagesDependOnEachOtherWithoutCycles() {
        Graph graph = Graph.read();
        assertTrue(
                graph.uses("decisions", "rules") && graph.uses("rules", "expression"),
                "the graph is read from the sources: " + graph.edges.keySet());

        List<String> cycles = new ArrayList<>();
        for (Set<String> component : graph.stronglyConnectedComponents()) {
            if (component.size() < 2) {
                continue;
            }
            StringBuilder cycle = new StringBuilder("packages that depend on each other: " + component);
            graph.edges.forEach((from, targets) -> targets.forEach((to, files) -> {
                if (component.contains(from) && component.contains(to)) {
                    cycle.append("\n  ")
                            .append(from)
                            .append(" -> ")
                            .append(to)
                            .append(" in ")
                            .append(files);
                }
            }));
            cycles.add(cycle.toString());
        }
        assertTrue(cycles.isEmpty(), String.join("\n", cycles));
    }

    @Test
    void nothingDependsOnTheEdgesOfTheApplication() {
        Graph graph = Graph.read();
        List<String> wrong = new ArrayList<>();
        graph.edges.forEach((from, targets) -> targets.forEach((to, files) -> {
            if (EDGES_OF_THE_APPLICATION.contains(to) && !EDGES_OF_THE_APPLICATION.contains(from)) {
                wrong.add(from + " -> " + to + " in " + files);
            }
        }));
        assertTrue(wrong.isEmpty(), "only the application's edges may use each other:\n" + String.join("\n", wrong));
    }

    /** Top-level package → package it uses → the files that use it. */
    private record Graph(Map<String, Map<String, Set<String>>> edges) {

        static Graph read() {
            Map<String, Map<String, Set<String>>> edges = new TreeMap<>();
            try (Stream<Path> files = Files.walk(SOURCES)) {
                for (Path file :
                        files.filter(path -> path.toString().endsWith(".java")).toList()) {
                    Path relative = SOURCES.relativize(file);
                    String from = relative.getNameCount() == 1
                            ? ROOT
                            : relative.getName(0).toString();
                    Map<String, Set<String>> targets = edges.computeIfAbsent(from, name -> new TreeMap<>());
                    for (String line : Files.readAllLines(file)) {
                        if (line.startsWith("package ")) {
                            continue;
                        }
                        Matcher reference = REFERENCE.matcher(line);
                        while (reference.find()) {
                            String to = reference.group(1) == null ? ROOT : reference.group(1);
                            if (!to.equals(from)) {
                                targets.computeIfAbsent(to, name -> new TreeSet<>())
                                        .add(relative.toString());
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Graph(edges);
        }

        boolean uses(String from, String to) {
            return edges.getOrDefault(from, Map.of()).containsKey(to);
        }

        /** Tarjan's algorithm: every package in exactly one component; a cycle is a component of two or more. */
        List<Set<String>> stronglyConnectedComponents() {
            return new Tarjan(this).run();
        }
    }

    private static final class Tarjan {
        private final Graph graph;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> lowLink = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final Set<String> onStack = new TreeSet<>();
        private final List<Set<String>> components = new ArrayList<>();

        Tarjan(Graph graph) {
            this.graph = graph;
        }

        List<Set<String>> run() {
            Set<String> packages = new TreeSet<>(graph.edges().keySet());
            graph.edges().values().forEach(targets -> packages.addAll(targets.keySet()));
            for (String name : packages) {
                if (!index.containsKey(name)) {
                    visit(name);
                }
            }
            return components;
        }

        private void visit(String name) {
            index.put(name, index.size());
            lowLink.put(name, index.get(name));
            stack.push(name);
            onStack.add(name);
            for (String next : graph.edges().getOrDefault(name, Map.of()).keySet()) {
                if (!index.containsKey(next)) {
                    visit(next);
                    lowLink.put(name, Math.min(lowLink.get(name), lowLink.get(next)));
                } else if (onStack.contains(next)) {
                    lowLink.put(name, Math.min(lowLink.get(name), index.get(next)));
                }
            }
            if (lowLink.get(name).equals(index.get(name))) {
                Set<String> component = new TreeSet<>();
                String member;
                do {
                    member = stack.pop();
                    onStack.remove(member);
                    component.add(member);
                } while (!member.equals(name));
                components.add(component);
            }
        }
    }
}
