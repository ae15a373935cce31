package io.ringcache.client;

import static io.ringcache.client.Clients.failure;
import static io.ringcache.client.Clients.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.store.StoreKey;
import io.ringcache.node.testing.TestCluster;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.SetMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;

/** Every operation of the client against three in-JVM nodes with RF=2, in steady state. */
class ClientOperationsTest {

  private static TestCluster cluster;
  private static CacheClient client;

  @BeforeAll
  static void start() {
    cluster = new TestCluster(2).start(3);
    client = Clients.builderFor(cluster).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    cluster.close();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void thousandOps_steadyState_noneForwarded() {
    join(client.put("warm-up", bytes("x")));
    Awaitility.await().atMost(10, TimeUnit.SECONDS)
        .until(() -> client.topology().epoch() == Clients.epoch(cluster));
    long forwardedBefore = Clients.forwarded(cluster);
    long requestsBefore = Clients.requests(cluster);
    List<CompletableFuture<?>> calls = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      calls.add(client.put("route-" + i, bytes("v" + i)).toCompletableFuture());
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
    calls.clear();
    for (int i = 0; i < 500; i++) {
      calls.add(client.get("route-" + i).toCompletableFuture());
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();

    assertThat(Clients.requests(cluster) - requestsBefore)
        .as("requests served (1000 ops, plus replication)").isGreaterThanOrEqualTo(1000);
    assertThat(Clients.forwarded(cluster) - forwardedBefore).as("forwarded").isZero();
    assertThat(client.topology().members()).hasSize(3);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void eventLoops_callsFromManyThreads_answeredOnThatManyThreads(int loops) throws Exception {
    Set<String> answeredOn = ConcurrentHashMap.newKeySet();
    try (CacheClient client = Clients.builderFor(cluster).eventLoops(loops)
        .connectionsPerNode(4).build()) {
      List<CompletableFuture<?>> calls = new CopyOnWriteArrayList<>();
      List<Thread> callers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int caller = t;
        callers.add(new Thread(() -> {
          Thread me = Thread.currentThread();
          for (int i = 0; i < 250; i++) {
            // A callback attached after the answer arrived runs here, on the caller: not counted.
            calls.add(client.put("loops-" + loops + "-" + caller + "-" + i, bytes("v"))
                .whenComplete((v, e) -> {
                  if (Thread.currentThread() != me) {
                    answeredOn.add(Thread.currentThread().getName());
                  }
                })
                .toCompletableFuture());
          }
        }));
      }
      callers.forEach(Thread::start);
      for (Thread t : callers) {
        t.join();
      }
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      assertThat(calls).hasSize(1000);
    }
    // Twelve connections (three nodes, four each) spread over the loops; answers arrive on the
    // loop of the connection that carried them.
    assertThat(answeredOn).hasSize(loops);
  }

  @Test
  void ownerCopies_readsEachOwnersOwnStore() {
    long version = join(client.put("copies", bytes("one")));
    Map<String, Optional<Versioned<byte[]>>> copies = join(client.ownerCopies("copies"));
    assertThat(copies).hasSize(2);
    copies.values().forEach(copy -> {
      assertThat(copy).isPresent();
      assertThat(copy.get().version()).isEqualTo(version);
      assertThat(new String(copy.get().value(), StandardCharsets.UTF_8)).isEqualTo("one");
    });

    // Write one owner's store behind the cluster's back: only that owner's copy changes.
    String replica = copies.keySet().stream()
        .filter(name -> !name.equals(primaryOf("copies"))).findFirst().orElseThrow();
    Key key = Key.of("copies");
    cluster.node(replica).store().set(
        StoreKey.wrap(key.toBytes()),
        bytes("diverged"), 0, SetMode.ALWAYS);
    Map<String, Optional<Versioned<byte[]>>> after = join(client.ownerCopies("copies"));

    assertThat(new String(after.get(replica).orElseThrow().value(), StandardCharsets.UTF_8))
        .isEqualTo("diverged");
    assertThat(new String(after.get(primaryOf("copies")).orElseThrow().value(),
        StandardCharsets.UTF_8)).isEqualTo("one");
    assertThat(join(client.ownerCopies("never-written-copies")).values())
        .hasSize(2).allMatch(Optional::isEmpty);
  }

  private static String primaryOf(String key) {
    return cluster.node(0).topology()
        .readReplicas(Key.of(key).position()).get(0).name();
  }

  @Test
  void putGetRemove_roundTrip_withVersions() {
    assertThat(join(client.get("rt"))).isEmpty();
    long v1 = join(client.put("rt", bytes("one")));
    Optional<Versioned<byte[]>> got = join(client.get("rt"));
    assertThat(got).isPresent();
    assertThat(new String(got.get().value(), StandardCharsets.UTF_8)).isEqualTo("one");
    assertThat(got.get().version()).isEqualTo(v1).isPositive();
    long v2 = join(client.put("rt", bytes("two")));
    assertThat(v2).isGreaterThan(v1);
    assertThat(join(client.remove("rt"))).isTrue();
    assertThat(join(client.remove("rt"))).isFalse();
    assertThat(join(client.get("rt"))).isEmpty();
  }

  @Test
  void conditionalWrites_reportAbsenceAndPresence() {
    OptionalLong first = join(client.putIfAbsent("cond", bytes("a"), Duration.ZERO));
    assertThat(first).isPresent();
    assertThat(join(client.putIfAbsent("cond", bytes("b"), Duration.ZERO))).isEmpty();
    assertThat(join(client.replace("cond-missing", bytes("x"), Duration.ZERO))).isEmpty();
    OptionalLong replaced = join(client.replace("cond", bytes("c"), Duration.ZERO));
    assertThat(replaced.getAsLong()).isGreaterThan(first.getAsLong());
    assertThat(new String(join(client.get("cond")).orElseThrow().value(), StandardCharsets.UTF_8))
        .isEqualTo("c");
  }

  @Test
  void compareAndSet_staleVersion_failsWithCurrentVersion() {
    long v1 = join(client.put("cas", bytes("1")));
    long v2 = join(client.compareAndSet("cas", v1, bytes("2")));
    assertThat(v2).isGreaterThan(v1);

    Throwable stale = failure(client.compareAndSet("cas", v1, bytes("3")));
    assertThat(stale).isInstanceOf(VersionMismatchException.class);
    assertThat(((VersionMismatchException) stale).currentVersion()).isEqualTo(v2);
    assertThat(((CacheException) stale).status()).isEqualTo(FailureStatus.VERSION_MISMATCH);

    Throwable absent = failure(client.compareAndSet("cas-missing", 7, bytes("x")));
    assertThat(absent).isInstanceOf(VersionMismatchException.class);
    assertThat(((VersionMismatchException) absent).currentVersion()).isZero();
    assertThat(((CacheException) absent).status()).isEqualTo(FailureStatus.NOT_FOUND);
  }

  @Test
  void increment_countsFromZero_andRejectsNonNumbers() {
    assertThat(join(client.increment("counter", 5))).isEqualTo(5);
    assertThat(join(client.increment("counter", -2))).isEqualTo(3);
    assertThat(new String(join(client.get("counter")).orElseThrow().value(),
        StandardCharsets.US_ASCII)).isEqualTo("3");

    join(client.put("not-a-number", bytes("abc")));
    Throwable e = failure(client.increment("not-a-number", 1));
    assertThat(e).isInstanceOf(CacheRejectedException.class);
    assertThat(((CacheException) e).status()).isEqualTo(FailureStatus.BAD_REQUEST);
  }

  @Test
  void ttl_expiresEntry() {
    join(client.put("short-lived", bytes("x"), Duration.ofMillis(50)));
    Awaitility.await().atMost(5, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(20))
        .until(() -> join(client.get("short-lived")).isEmpty());
    join(client.put("long-lived", bytes("x"), Duration.ofHours(1)));
    assertThat(join(client.get("long-lived"))).isPresent();
  }

  @Test
  void bulk_putAllGetAll_spanEveryOwner() {
    Map<String, byte[]> entries = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      entries.put("bulk-" + i, bytes("value-" + i));
    }
    join(client.putAll(entries));
    List<String> keys = new ArrayList<>(entries.keySet());
    keys.add("bulk-missing-1");
    keys.add("bulk-missing-2");
    Map<String, Versioned<byte[]>> got = join(client.getAll(keys));
    assertThat(got).hasSize(300);
    got.forEach((k, v) -> {
      assertThat(new String(v.value(), StandardCharsets.UTF_8))
          .isEqualTo("value-" + k.substring("bulk-".length()));
      assertThat(v.version()).isPositive();
    });
    assertThat(join(client.getAll(List.of()))).isEmpty();
  }

  @Test
  void oversizedKeyAndValue_failLocally_withTheirStatus() {
    long before = Clients.requests(cluster);
    Throwable key = failure(client.put("k".repeat(1025), bytes("v")));
    assertThat(key).isInstanceOf(CacheRejectedException.class)
        .hasMessageContaining("key is 1025 bytes, limit is 1024");
    assertThat(((CacheException) key).status()).isEqualTo(FailureStatus.KEY_TOO_LARGE);

    Throwable value = failure(client.put("big", new byte[1024 * 1024 + 1]));
    assertThat(((CacheException) value).status()).isEqualTo(FailureStatus.VALUE_TOO_LARGE);
    assertThat(value).hasMessageContaining("limit is 1048576");

    Throwable bulk = failure(client.putAll(Map.of("ok", bytes("v"), "x".repeat(2000), bytes("v"))));
    assertThat(((CacheException) bulk).status()).isEqualTo(FailureStatus.KEY_TOO_LARGE);

    Throwable empty = failure(client.get(""));
    assertThat(((CacheException) empty).status()).isEqualTo(FailureStatus.BAD_REQUEST);
    assertThat(failure(client.get(null))).isInstanceOf(NullPointerException.class);
    assertThat(failure(client.put("ttl", bytes("v"), Duration.ofSeconds(-1))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Clients.requests(cluster)).as("nothing was sent").isEqualTo(before);
  }

  record Address(String city, List<String> lines) {}

  enum Tier { FREE, PRO }

  record Customer(String name, int age, Tier tier, Instant since, Map<String, Long> scores,
      Address address, Double rating) {}

  @Test
  void typedViews_stringsAndRecords_roundTrip() {
    AsyncRingCache<String> strings = client.typed(ValueCodec.utf8());
    join(strings.put("greeting", "grüß dich"));
    assertThat(join(strings.get("greeting")).orElseThrow().value()).isEqualTo("grüß dich");

    AsyncRingCache<Customer> customers = client.typed(ValueCodec.json(Customer.class));
    Customer ada = new Customer("Ada", 36, Tier.PRO, Instant.parse("2020-01-02T03:04:05Z"),
        Map.of("chess", 2100L), new Address("London", List.of("12 St James's Square")), null);
    long version = join(customers.put("customer:ada", ada));
    Versioned<Customer> back = join(customers.get("customer:ada")).orElseThrow();
    assertThat(back.value()).isEqualTo(ada);
    assertThat(back.version()).isEqualTo(version);

    BlockingCache<Customer> blocking = customers.blocking();
    assertThat(blocking.getAll(List.of("customer:ada", "customer:none")))
        .containsOnlyKeys("customer:ada");
    assertThat(blocking.remove("customer:ada")).isTrue();
    assertThat(blocking.get("customer:ada")).isEmpty();
  }

  @Test
  void blocking_throwsTypedExceptions() {
    BlockingCache<String> blocking = client.typed(ValueCodec.utf8()).blocking();
    long v = blocking.put("blocking", "1");
    assertThat(blocking.compareAndSet("blocking", v, "2")).isGreaterThan(v);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> blocking.compareAndSet("blocking", v, "3"))
        .isInstanceOf(VersionMismatchException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> blocking.get("x".repeat(5000)))
        .isInstanceOf(CacheRejectedException.class)
        .extracting(e -> ((CacheException) e).status()).isEqualTo(FailureStatus.KEY_TOO_LARGE);
  }
}
