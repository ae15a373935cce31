package io.ringcache.loadtest.cli;

import io.ringcache.client.CacheClient;
import io.ringcache.loadtest.cluster.LocalCluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code loadtest stampede}: {@code --callers} concurrent reads of one cold key, each with a
 * loader, spread over {@code --processes} client JVMs ({@link StampedeWorker}) that start at the
 * same instant, against a local cluster. Counts the loader calls (the "database queries") across
 * all processes, with ringcache's single-flight {@code getOrLoad} and with plain cache-aside
 * (read, on a miss load and put). Each round uses a new key; rounds alternate the two modes.
 *
 * <p>Exit code 1 when a single-flight round called the loader more than once, failed a caller,
 * or gave callers different values.
 */
@Command(name = "stampede", mixinStandardHelpOptions = true,
    description = "loader calls for a cold key read by many callers across client processes,"
        + " with and without single-flight")
final class StampedeBench implements Callable<Integer> {

  private static final Pattern RESULT =
      Pattern.compile("result loads=(\\d+) ok=(\\d+) failed=(\\d+) values=(\\S*)");

  @Option(names = "--callers", defaultValue = "1000", converter = Counts.AtLeastOne.class,
      description = "concurrent callers in all; default ${DEFAULT-VALUE}")
  int callers;

  @Option(names = "--processes", defaultValue = "3", converter = Counts.AtLeastOne.class,
      description = "client JVMs the callers are spread over; default ${DEFAULT-VALUE}")
  int processes;

  @Option(names = "--rounds", defaultValue = "5", converter = Counts.AtLeastOne.class,
      description = "rounds of each mode, a new cold key each; default ${DEFAULT-VALUE}")
  int rounds;

  @Option(names = "--load-time", defaultValue = "100ms", converter = DurationConverter.class,
      description = "how long one loader call takes; default ${DEFAULT-VALUE}")
  Duration loadTime;

  @Option(names = "--nodes", defaultValue = "3", converter = Counts.Nodes.class,
      description = "default ${DEFAULT-VALUE}")
  int nodes;

  @Option(names = "--report-dir", defaultValue = "loadtest-reports",
      description = "where the worker logs go; default ${DEFAULT-VALUE}")
  Path reportDir;

  /** One round: loader calls in all processes, callers answered, distinct values seen. */
  record Round(String mode, String key, long loads, long ok, long failed, int distinctValues) {}

  @Override
  public Integer call() throws Exception {
    if (callers < processes) {
      throw new BadInputException(String.format(
          "--callers (%d) must be at least --processes (%d)", callers, processes));
    }
    long loadMillis = loadTime.toMillis();
    Files.createDirectories(reportDir);
    Map<String, List<Round>> byMode = new LinkedHashMap<>();
    byMode.put("single-flight", new ArrayList<>());
    byMode.put("cache-aside", new ArrayList<>());
    System.out.printf("== starting %d ringcache nodes on 127.0.0.1 (RF=2)%n", nodes);
    try (LocalCluster cluster = LocalCluster.builder().nodes(nodes).replicationFactor(2)
        .jvmOptions("-Xmx256m", "-XX:+UseSerialGC").start()) {
      Main.awaitReady(cluster);
      BenchSupport.clientWithCache(cluster, CacheClient.builder()).close();
      List<Worker> workers = new ArrayList<>();
      try {
        for (int i = 0; i < processes; i++) {
          int share = callers / processes + (i < callers % processes ? 1 : 0);
          workers.add(Worker.start(i + 1, cluster.seeds(), share, loadMillis, reportDir));
        }
        for (Worker w : workers) {
          w.awaitLine("ready", 60);
        }
        System.out.printf("== %d worker processes ready, %d callers in all, loader takes %d ms%n",
            processes, callers, loadMillis);
        for (int r = 1; r <= rounds; r++) {
          for (String mode : r % 2 == 1 ? List.of("single-flight", "cache-aside")
              : List.of("cache-aside", "single-flight")) {
            Round round = round(workers, mode, "cold-" + mode + "-" + r + "-" + System.nanoTime());
            byMode.get(mode).add(round);
            System.out.println("== round: " + round);
          }
        }
      } finally {
        workers.forEach(Worker::close);
      }
    }
    System.out.println(table(byMode));
    boolean once = byMode.get("single-flight").stream()
        .allMatch(r -> r.loads() == 1 && r.failed() == 0 && r.distinctValues() == 1);
    System.out.println(once
        ? "== single-flight: one loader call per cold key, every caller got its value"
        : "== FAILED: a single-flight round called the loader more than once or failed a caller");
    return once ? 0 : 1;
  }

  private static Round round(List<Worker> workers, String mode, String key) throws IOException {
    long startAt = System.currentTimeMillis() + 500;
    for (Worker w : workers) {
      w.send(mode + " " + key + " " + startAt);
    }
    long loads = 0;
    long ok = 0;
    long failed = 0;
    TreeSet<String> values = new TreeSet<>();
    int unnamed = 0;
    for (Worker w : workers) {
      Matcher m = RESULT.matcher(w.awaitLine("result", 120));
      if (!m.find()) {
        throw new IllegalStateException("worker " + w.index + " answered an unreadable line");
      }
      loads += Long.parseLong(m.group(1));
      ok += Long.parseLong(m.group(2));
      failed += Long.parseLong(m.group(3));
      if (m.group(4).endsWith("-distinct")) {
        // Too many to list: they are this process's own loads, distinct from any other's.
        unnamed += Integer.parseInt(m.group(4).substring(0, m.group(4).indexOf('-')));
      } else {
        values.addAll(List.of(m.group(4).split(",")));
      }
    }
    return new Round(mode, key, loads, ok, failed, values.size() + unnamed);
  }

  static String table(Map<String, List<Round>> byMode) {
    StringBuilder out = new StringBuilder();
    out.append("| mode | rounds | loader calls per round (median) | min | max | callers answered"
        + " | failed | distinct values seen (max) |\n");
    out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    byMode.forEach((mode, rounds) -> {
      if (rounds.isEmpty()) {
        return;
      }
      out.append(String.format("| %s | %d | %,.0f | %d | %d | %,.0f | %d | %d |%n", mode,
          rounds.size(), BenchSupport.median(rounds, Round::loads),
          rounds.stream().mapToLong(Round::loads).min().orElse(0),
          rounds.stream().mapToLong(Round::loads).max().orElse(0),
          BenchSupport.median(rounds, Round::ok),
          rounds.stream().mapToLong(Round::failed).sum(),
          rounds.stream().mapToInt(Round::distinctValues).max().orElse(0)));
    });
    return out.toString();
  }

  /** A worker JVM: commands go to its standard input, its lines come back on a queue. */
  private static final class Worker implements AutoCloseable {
    final int index;
    final Process process;
    final Writer commands;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private Worker(int index, Process process) {
      this.index = index;
      this.process = process;
      this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = in.readLine()) != null) {
            lines.add(line);
          }
        } catch (IOException e) {
          lines.add("exited: " + e);
        }
      }, "stampede-worker-" + index + "-out");
      reader.setDaemon(true);
      reader.start();
    }

    static Worker start(int index, List<String> seeds, int callers, long loadMillis, Path logDir)
        throws IOException {
      String java = ProcessHandle.current().info().command().orElse("java");
      ProcessBuilder builder = new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC",
          "-Dhazelcast.phone.home.enabled=false",
          "-cp", System.getProperty("java.class.path"), StampedeWorker.class.getName(),
          String.join(",", seeds), BenchSupport.CACHE, Integer.toString(callers),
          Long.toString(loadMillis));
      builder.redirectError(logDir.resolve("stampede-worker-" + index + ".log").toFile());
      return new Worker(index, builder.start());
    }

    void send(String command) throws IOException {
      commands.write(command + "\n");
      commands.flush();
    }

    /** The next line starting with {@code prefix}, skipping others; fails after the bound. */
    String awaitLine(String prefix, long seconds) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      try {
        while (true) {
          String line = lines.poll(Math.max(1, deadline - System.nanoTime()),
              TimeUnit.NANOSECONDS);
          if (line == null) {
            throw new IllegalStateException(String.format(
                "worker %d said no '%s' line within %d s (alive: %s)", index, prefix, seconds,
                process.isAlive()));
          }
          if (line.startsWith(prefix)) {
            return line;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for worker " + index, e);
      }
    }

    @Override
    public void close() {
      try {
        commands.close();
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (IOException e) {
        // Its input is gone already; the kill below ends it.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        process.destroyForcibly();
      }
    }
  }
}
