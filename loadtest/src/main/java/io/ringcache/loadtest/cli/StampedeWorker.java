package io.ringcache.loadtest.cli;

import io.ringcache.client.CacheClient;
import io.ringcache.client.NamedCache;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One client process of {@link StampedeBench}: connects to the cluster, then for each command line
 * on standard input ({@code <mode> <key> <startAtEpochMillis>}) waits for the start time and
 * sends {@code callers} concurrent reads-with-loader of that key, and prints one result line
 * ({@code result loads=N ok=N failed=N values=v1,v2,...}, the distinct values its callers got).
 * The loader stands for a database query: it counts its call and answers after {@code
 * loadMillis} with a value naming this process and the call.
 *
 * <p>Modes: {@code single-flight} uses {@code NamedCache.getOrLoad} (one loader call per key per
 * cluster at a time); {@code cache-aside} does what an application does without it: read, and on
 * a miss load and put.
 *
 * <p>Arguments: {@code <seeds,comma-separated> <cache> <callers> <loadMillis>}. Exits when its
 * standard input closes; a bench that dies leaves it nothing to read, so it ends too.
 */
public final class StampedeWorker {

  private StampedeWorker() {}

  public static void main(String[] args) throws Exception {
    List<String> seeds = List.of(args[0].split(","));
    String cacheName = args[1];
    int callers = Integer.parseInt(args[2]);
    long loadMillis = Long.parseLong(args[3]);
    ScheduledExecutorService database = Executors.newSingleThreadScheduledExecutor();
    try (CacheClient client = CacheClient.builder().seeds(seeds).build()) {
      NamedCache<byte[]> cache = client.cache(cacheName);
      // Reach every node before the first round, so connection set-up is not measured.
      cache.get("warm-up").toCompletableFuture().get(30, TimeUnit.SECONDS);
      System.out.println("ready");
      BufferedReader in = new BufferedReader(
          new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        String[] cmd = line.trim().split(" ");
        if (cmd.length != 3) {
          continue;
        }
        long wait = Long.parseLong(cmd[2]) - System.currentTimeMillis();
        if (wait > 0) {
          // A process waiting for a shared start time, not coordination inside one JVM.
          Thread.sleep(wait);
        }
        System.out.println(round(cache, cmd[0], cmd[1], callers, loadMillis, database));
      }
    } finally {
      database.shutdownNow();
    }
  }

  private static String round(NamedCache<byte[]> cache, String mode, String key, int callers,
      long loadMillis, ScheduledExecutorService database) throws InterruptedException {
    AtomicInteger loads = new AtomicInteger();
    Function<String, CompletionStage<byte[]>> loader = k -> {
      // Each load makes a value of its own, so callers can tell whose load they got.
      String made = "load-" + ProcessHandle.current().pid() + "-" + loads.incrementAndGet();
      CompletableFuture<byte[]> value = new CompletableFuture<>();
      database.schedule(() -> value.complete(made.getBytes(StandardCharsets.UTF_8)),
          loadMillis, TimeUnit.MILLISECONDS);
      return value;
    };
    List<CompletableFuture<byte[]>> calls = new ArrayList<>(callers);
    for (int i = 0; i < callers; i++) {
      CompletionStage<byte[]> call = switch (mode) {
        case "single-flight" -> cache.getOrLoad(key, loader);
        case "cache-aside" -> cache.get(key).thenCompose(found -> found.isPresent()
            ? CompletableFuture.completedFuture(found.get().value())
            : loader.apply(key).thenCompose(v -> cache.put(key, v).thenApply(version -> v)));
        default -> throw new IllegalArgumentException("unknown mode '" + mode + "'");
      };
      calls.add(call.toCompletableFuture());
    }
    int ok = 0;
    int failed = 0;
    Set<String> values = new HashSet<>();
    for (CompletableFuture<byte[]> c : calls) {
      try {
        values.add(new String(c.get(60, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        ok++;
      } catch (Exception e) {
        failed++;
      }
    }
    return String.format("result loads=%d ok=%d failed=%d values=%s", loads.get(), ok, failed,
        values.size() <= 10 ? String.join(",", new java.util.TreeSet<>(values))
            : values.size() + "-distinct");
  }
}
