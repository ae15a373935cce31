package io.ringcache.loadtest.cli;

import io.ringcache.client.CacheClient;
import io.ringcache.client.CacheSettings;
import io.ringcache.loadtest.cluster.LocalCluster;
import io.ringcache.loadtest.cluster.LocalNode;
import io.ringcache.loadtest.dsl.Injection;
import io.ringcache.loadtest.dsl.Simulation;
import io.ringcache.loadtest.run.RunOptions;
import io.ringcache.loadtest.run.RunResult;
import io.ringcache.loadtest.run.Runner;
import io.ringcache.loadtest.targets.Target;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * What the near-cache, staleness, stampede and hot-key measurements share: medians over runs,
 * warm-ups, a named cache to measure on, and each node's request counter.
 */
final class BenchSupport {

  /** The named cache the ringcache cells measure (and the map name of the Hazelcast cells). */
  static final String CACHE = "bench";

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private BenchSupport() {}

  /** The median of {@code values} (the mean of the middle two for an even count). */
  static double median(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("median of no values");
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** The median of one figure over rows. */
  static <T> double median(List<T> rows, ToDoubleFunction<T> figure) {
    return median(rows.stream().map(r -> figure.applyAsDouble(r)).toList());
  }

  /** {@code sim} with its injection replaced by a constant rate for {@code duration}. */
  static Simulation lasting(Simulation sim, double rate, Duration duration) {
    return sim.inject(Injection.constantRate(rate, duration));
  }

  /** Runs {@code sim} for {@code warmup} at {@code rate} and drops its figures (none if zero). */
  static void warmUp(Simulation sim, double rate, Duration warmup, Target target) {
    if (warmup.isZero()) {
      return;
    }
    System.out.printf("== warm-up: %s against %s for %s, not measured%n", sim.name(),
        target.name(), DurationConverter.format(warmup));
    Runner.run(lasting(sim, rate, warmup), target,
        RunOptions.builder().progress(line -> System.out.println("warm-up " + line)).build());
  }

  /** Runs {@code sim} against {@code target} with progress on the console. */
  static RunResult measure(Simulation sim, Target target) {
    System.out.printf("== %s against %s%n", sim.name(), target.name());
    return Runner.run(sim, target, RunOptions.builder().progress(System.out::println).build());
  }

  /** The totals of operation {@code op} in {@code result}, or an empty row. */
  static RunResult.OpStats op(RunResult result, String op) {
    return result.ops().stream().filter(o -> o.op().equals(op)).findFirst()
        .orElse(new RunResult.OpStats(op, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of()));
  }

  /** Successful requests of {@code op} per second of load. */
  static double okPerSecond(RunResult result, String op) {
    RunResult.OpStats o = op(result, op);
    return (o.count() - o.errors()) * 1000.0 / Math.max(1, result.durationMillis());
  }

  /** A client of the cluster, with the named cache {@link #CACHE} created. */
  static CacheClient clientWithCache(LocalCluster cluster, CacheClient.Builder builder) {
    CacheClient client = builder.seeds(cluster.seeds()).build();
    try {
      client.caches().create(CacheSettings.named(CACHE)).toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      client.close();
      throw new IllegalStateException("could not create cache '" + CACHE + "': " + e, e);
    }
    return client;
  }

  /** Every running node's count of routed requests ({@code /v1/stats}: requests.total). */
  static Map<String, Long> requestsByNode(LocalCluster cluster) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String name : cluster.names()) {
      LocalNode node = cluster.node(name).orElseThrow();
      HttpRequest request = HttpRequest.newBuilder(URI.create(node.httpBase() + "/v1/stats"))
          .timeout(Duration.ofSeconds(10)).GET().build();
      try {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          throw new IllegalStateException(name + " /v1/stats answered " + response.statusCode());
        }
        out.put(name, new JsonObject(response.body()).getJsonObject("requests").getLong("total"));
      } catch (IOException e) {
        throw new IllegalStateException("could not read " + name + "'s /v1/stats: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted reading " + name + "'s /v1/stats", e);
      }
    }
    return out;
  }

  /** {@code after - before} per node (a node absent before counts from 0). */
  static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> out = new LinkedHashMap<>();
    after.forEach((node, n) -> out.put(node, n - before.getOrDefault(node, 0L)));
    return out;
  }

  /** Milliseconds with two decimals, from microseconds. */
  static String ms(double micros) {
    return String.format("%.2f ms", micros / 1000.0);
  }
}
