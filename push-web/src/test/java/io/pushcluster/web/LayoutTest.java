package io.pushcluster.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The layout of DESIGN.md, held against the main sources of the engine and the web tier: packages
 * import each other without a loop, the engine knows no transport, and no class grows past the size
 * a reader takes in at once.
 */
class LayoutTest {

    private static final List<Path> MAIN_SOURCES = List.of(Path.of("src/main/java"),
            Path.of("../push-ejb/src/main/java"), Path.of("../push-api/src/main/java"));
    private static final Pattern PACKAGE = Pattern.compile("^package (io\\.pushcluster[\\w.]*);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)\\.[\\w*]+;", Pattern.MULTILINE);
    private static final int LARGEST_CLASS_LINES = 300;

    private record Source(Path path, String packageName, Set<String> imported, long lines) {
    }

    private static List<Source> sources() {
        List<Source> sources = new ArrayList<>();
        for (Path root : MAIN_SOURCES) {
            assertTrue(Files.isDirectory(root), root + " is where the sources are");
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(file -> file.toString().endsWith(".java")).forEach(file -> sources.add(read(file)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sources;
    }

    private static Source read(Path file) {
        try {
            String text = Files.readString(file);
            Matcher declared = PACKAGE.matcher(text);
            assertTrue(declared.find(), file + " declares a package");
            Set<String> imported = new TreeSet<>();
            Matcher imports = IMPORT.matcher(text);
            while (imports.find()) {
                imported.add(imports.group(1));
            }
            return new Source(file, declared.group(1), imported, text.lines().count());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void packagesImportEachOtherWithoutALoop() {
        Map<String, Set<String>> edges = new TreeMap<>();
        for (Source source : sources()) {
            Set<String> targets = edges.computeIfAbsent(source.packageName(), name -> new TreeSet<>());
            source.imported().stream()
                    .filter(name -> name.startsWith("io.pushcluster"))
                    // an import of a nested type names its class: the package is the part before the capital
                    .map(name -> name.replaceFirst("\\.[A-Z].*$", ""))
                    .filter(name -> !name.equals(source.packageName()))
                    .forEach(targets::add);
        }
        assertTrue(edges.size() > 20, "the packages were found: " + edges.keySet());
        List<List<String>> loops = loops(edges);
        assertEquals(List.of(), loops, "packages that import each other in a loop");
    }

    @Test
    void theEngineKnowsNoTransport() {
        List<String> offenders = new ArrayList<>();
        for (Source source : sources()) {
            if (!source.packageName().startsWith("io.pushcluster.engine")) {
                continue;
            }
            for (String name : source.imported()) {
                if (name.startsWith("io.pushcluster.web") || name.startsWith("jakarta.servlet")
                        || name.startsWith("jakarta.websocket") || name.startsWith("jakarta.ws.rs")
                        || name.equals("java.nio.channels")) {
                    offenders.add(source.path() + " imports " + name);
                }
            }
        }
        assertEquals(List.of(), offenders);
    }

    @Test
    void noMainClassIsLongerThanAReaderTakesInAtOnce() {
        List<String> long_ = sources().stream().filter(source -> source.lines() > LARGEST_CLASS_LINES)
                .map(source -> source.path() + ": " + source.lines() + " lines").toList();
        assertEquals(List.of(), long_, "classes over " + LARGEST_CLASS_LINES + " lines");
    }

    /** The strongly connected components with more than one package (Tarjan), each sorted. */
    private static List<List<String>> loops(Map<String, Set<String>> edges) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> loops = new ArrayList<>();
        int[] counter = {0};
        for (String node : edges.keySet()) {
            if (!index.containsKey(node)) {
                connect(node, edges, index, low, stack, onStack, loops, counter);
            }
        }
        return loops;
    }

    private static void connect(String node, Map<String, Set<String>> edges, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<List<String>> loops,
            int[] counter) {
        index.put(node, counter[0]);
        low.put(node, counter[0]);
        counter[0]++;
        stack.push(node);
        onStack.add(node);
        for (String next : edges.getOrDefault(node, Set.of())) {
            if (!index.containsKey(next)) {
                connect(next, edges, index, low, stack, onStack, loops, counter);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (onStack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            List<String> component = new ArrayList<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            if (component.size() > 1) {
                component.sort(null);
                loops.add(component);
            }
        }
    }
}
