package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No package cycle inside cache-node: the packages of {@code io.ringcache.node} form floors that
 * only point down (README.md, "Package layering").
 *
 * <h2>Design</h2>
 * The JDK's own {@code jdeps} (through {@link ToolProvider}, so no new dependency) lists every
 * class-to-class dependency of the compiled main classes; the test folds them into a package graph,
 * finds its strongly connected components (Tarjan) and fails on any component of two or more
 * packages, naming its packages and, for every package edge inside it, one class edge that makes
 * it. The classes are found where {@link CacheNode} was loaded from ({@code target/classes} under
 * surefire, which runs after compile), not by a path relative to the working directory.
 */
class PackageCyclesTest {

  private static final String BASE = "io.ringcache.node";
  /** {@code jdeps -verbose:class}: "   a.b.C   -> d.e.F   location". */
  private static final Pattern EDGE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s+\\S.*$");

  @Test
  void cacheNode_hasNoPackageCycle() throws Exception {
    Path classes = mainClasses();
    List<String[]> edges = classEdges(classes);
    assertThat(sourcePackages(edges))
        .as("jdeps must report on every package compiled into %s", classes)
        .containsAll(compiledPackages(classes));

    assertThat(cycles(edges)).as("package cycles inside %s", BASE).isEmpty();
  }

  /** The check itself can fail: a planted three-package cycle is found and named hop by hop. */
  @Test
  void cycles_plantedCycle_namesEveryHopWithAClassEdge() {
    List<String[]> edges = List.of(
        new String[] {BASE + ".a.A1", BASE + ".b.B1"},
        new String[] {BASE + ".b.B2", BASE + ".c.C1"},
        new String[] {BASE + ".c.C2", BASE + ".a.A2"},
        new String[] {BASE + ".c.C2", BASE + ".d.D1"},
        new String[] {BASE + ".a.A1", "java.lang.Object"});

    List<String> found = cycles(edges);

    assertThat(found).hasSize(1);
    assertThat(found.get(0))
        .contains("node.a, node.b, node.c")
        .contains("node.a -> node.b: " + BASE + ".a.A1 -> " + BASE + ".b.B1")
        .contains("node.b -> node.c: " + BASE + ".b.B2 -> " + BASE + ".c.C1")
        .contains("node.c -> node.a: " + BASE + ".c.C2 -> " + BASE + ".a.A2")
        .doesNotContain("node.d");
  }

  @Test
  void cycles_layeredPackages_findsNone() {
    List<String[]> edges = List.of(
        new String[] {BASE + ".a.A1", BASE + ".b.B1"},
        new String[] {BASE + ".b.B2", BASE + ".c.C1"},
        new String[] {BASE + ".a.A2", BASE + ".c.C1"});

    assertThat(cycles(edges)).isEmpty();
  }

  private static Path mainClasses() throws URISyntaxException {
    Path location = Path.of(CacheNode.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI());
    assertThat(location.resolve("io/ringcache/node/CacheNode.class"))
        .as("compiled main classes of cache-node").exists();
    return location;
  }

  /** Every class edge jdeps reports, as {@code {from class, to class}}. */
  private static List<String[]> classEdges(Path classes) {
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError(
        "no jdeps tool in this JDK (" + System.getProperty("java.home") + ")"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = jdeps.run(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        "-verbose:class", "-filter:none", classes.toString());
    String report = out.toString(StandardCharsets.UTF_8);
    assertThat(exit).as("jdeps exit code; stderr: %s", err.toString(StandardCharsets.UTF_8))
        .isZero();
    List<String[]> edges = new ArrayList<>();
    for (String line : report.split("\\R")) {
      Matcher m = EDGE.matcher(line);
      if (m.matches()) {
        edges.add(new String[] {m.group(1), m.group(2)});
      }
    }
    return edges;
  }

  private static Set<String> sourcePackages(List<String[]> edges) {
    return edges.stream().map(e -> packageOf(e[0])).collect(Collectors.toSet());
  }

  private static Set<String> compiledPackages(Path classes) throws IOException {
    Path base = classes.resolve(BASE.replace('.', '/'));
    try (Stream<Path> files = Files.walk(base)) {
      return files.filter(f -> f.toString().endsWith(".class"))
          .map(f -> classes.relativize(f.getParent()).toString().replace(f.getFileSystem()
              .getSeparator(), "."))
          .collect(Collectors.toSet());
    }
  }

  /**
   * One message per package cycle among the {@link #BASE} packages of {@code edges}: the cycle's
   * packages, then every package edge inside it with one class edge that makes it.
   */
  static List<String> cycles(List<String[]> edges) {
    Map<String, Map<String, String>> graph = new TreeMap<>();
    for (String[] e : edges) {
      String from = packageOf(e[0]);
      String to = packageOf(e[1]);
      if (inBase(from) && inBase(to) && !from.equals(to)) {
        graph.computeIfAbsent(to, k -> new TreeMap<>());
        graph.computeIfAbsent(from, k -> new TreeMap<>())
            .putIfAbsent(to, e[0] + " -> " + e[1]);
      }
    }
    List<String> messages = new ArrayList<>();
    for (Set<String> component : new Tarjan(graph).components()) {
      if (component.size() < 2) {
        continue;
      }
      StringBuilder message = new StringBuilder("cycle among ").append(component.stream()
          .map(PackageCyclesTest::shortName).collect(Collectors.joining(", ")));
      for (String from : component) {
        graph.get(from).forEach((to, classEdge) -> {
          if (component.contains(to)) {
            message.append("\n  ").append(shortName(from)).append(" -> ").append(shortName(to))
                .append(": ").append(classEdge);
          }
        });
      }
      messages.add(message.toString());
    }
    return messages;
  }

  private static boolean inBase(String pkg) {
    return pkg.equals(BASE) || pkg.startsWith(BASE + ".");
  }

  private static String packageOf(String className) {
    int dot = className.lastIndexOf('.');
    return dot < 0 ? "" : className.substring(0, dot);
  }

  private static String shortName(String pkg) {
    return pkg.substring("io.ringcache.".length());
  }

  /** Tarjan's strongly connected components, iterative so deep graphs cannot overflow. */
  private static final class Tarjan {
    private final Map<String, Map<String, String>> graph;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> low = new HashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final Set<String> onStack = new TreeSet<>();
    private final List<Set<String>> found = new ArrayList<>();

    Tarjan(Map<String, Map<String, String>> graph) {
      this.graph = graph;
    }

    List<Set<String>> components() {
      for (String v : graph.keySet()) {
        if (!index.containsKey(v)) {
          visit(v);
        }
      }
      return found;
    }

    private void visit(String root) {
      Deque<Map.Entry<String, Iterator<String>>> work = new ArrayDeque<>();
      open(root, work);
      while (!work.isEmpty()) {
        var frame = work.peek();
        String v = frame.getKey();
        if (frame.getValue().hasNext()) {
          String w = frame.getValue().next();
          if (!index.containsKey(w)) {
            open(w, work);
          } else if (onStack.contains(w)) {
            low.put(v, Math.min(low.get(v), index.get(w)));
          }
          continue;
        }
        work.pop();
        if (!work.isEmpty()) {
          String parent = work.peek().getKey();
          low.put(parent, Math.min(low.get(parent), low.get(v)));
        }
        if (low.get(v).equals(index.get(v))) {
          Set<String> component = new TreeSet<>();
          String w;
          do {
            w = stack.pop();
            onStack.remove(w);
            component.add(w);
          } while (!w.equals(v));
          found.add(component);
        }
      }
    }

    private void open(String v, Deque<Map.Entry<String, Iterator<String>>> work) {
      index.put(v, index.size());
      low.put(v, index.get(v));
      stack.push(v);
      onStack.add(v);
      work.push(Map.entry(v, new LinkedHashMap<>(graph.get(v)).keySet().iterator()));
    }
  }
}
