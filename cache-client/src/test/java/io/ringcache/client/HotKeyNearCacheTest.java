package io.ringcache.client;

import static io.ringcache.client.Clients.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.testing.TestCluster;
import io.ringcache.protocol.HostPort;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link CacheClient.Builder#hotKeyNearCache} on three nodes with RF=2: a client with the option
 * keeps the keys the cluster marks hot in a near cache behind its plain views, and nothing else.
 * Keys are made hot by a separate client's reads (the heater), as real load would; whether a read
 * was served near is read off the nodes' store counters, which the client cannot influence.
 */
class HotKeyNearCacheTest {

  private static final Duration LONG_LEASE = Duration.ofSeconds(30);

  private static TestCluster cluster;
  private static CacheClient writer;
  private static CacheClient heater;

  @BeforeAll
  static void start() {
    cluster = new TestCluster(2).start(3);
    writer = Clients.builderFor(cluster).build();
    heater = Clients.builderFor(cluster).hotKeyReplicaReads(false).build();
    join(writer.caches().create(CacheSettings.named("hot")));
  }

  @AfterAll
  static void stop() {
    heater.close();
    writer.close();
    cluster.close();
  }

  private static CacheClient nearReader(Duration lease) {
    return Clients.builderFor(cluster)
        .hotKeyNearCache(NearCacheSettings.defaults().withLease(lease)).build();
  }

  private static Router router(CacheClient client) {
    return ((DefaultCacheClient) client).router;
  }

  private static NearState state(CacheClient client, String cache) {
    return router(client).hotNear.state(cache);
  }

  private static boolean hotFor(CacheClient client, String cache, String key) {
    return router(client).hotKeys.isHot(Key.of(cache, key).position());
  }

  /**
   * An event path that drops data events while {@code silent} is set and renumbers the frames
   * after them so that no gap shows: nothing but the client's own bookkeeping can then tell it
   * that its own write made its copy stale.
   */
  private static final class SilentPath implements Subscriptions.EventPath {
    private final Subscriptions subscriptions;
    private final Map<HostPort, AtomicLong> dropped = new ConcurrentHashMap<>();
    volatile boolean silent;

    SilentPath(CacheClient client) {
      this.subscriptions = router(client).subscriptions;
      subscriptions.path = this;
    }

    @Override
    public void carry(HostPort from, int id, Response.Event e, Runnable deliver) {
      AtomicLong gone = dropped.computeIfAbsent(from, n -> new AtomicLong());
      if (silent && e.type() != Response.EventType.HEARTBEAT
          && e.type() != Response.EventType.MISSED) {
        gone.incrementAndGet();
      } else if (gone.get() == 0) {
        deliver.run();
      } else {
        subscriptions.arrivedForTest(from, id, e.withSeq(e.seq() - gone.get()));
      }
    }
  }

  /** GETs the nodes' stores answered, all nodes together. */
  private static long storeReads() {
    return cluster.nodes().stream().mapToLong(n -> n.store().stats().hits()).sum();
  }

  /** Reads {@code key} through the heater until {@code client} has learned that it is hot. */
  private static void heat(CacheClient client, String cache, String key) {
    NamedCache<byte[]> view = heater.cache(cache);
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> {
      List<CompletionStage<?>> pending = new ArrayList<>();
      for (int i = 0; i < 5_000; i++) {
        pending.add(view.get(key));
        if (pending.size() == 200) {
          pending.forEach(Clients::join);
          pending.clear();
        }
      }
      pending.forEach(Clients::join);
      return hotFor(client, cache, key);
    });
  }

  /** Reads through {@code view} until one is served from {@code client}'s near cache. */
  private static void awaitServedNear(CacheClient client, String cache, AsyncRingCache<String> view,
      String key) {
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> {
      NearState s = state(client, cache);
      long before = s == null ? 0 : s.stats().hits();
      join(view.get(key));
      s = state(client, cache);
      return s != null && s.stats().hits() > before;
    });
  }

  /** A plain view of {@code cache} in {@code client}: the client itself for the default cache. */
  private static AsyncRingCache<String> view(CacheClient client, String cache) {
    return CacheSettings.DEFAULT.equals(cache) ? client.typed(ValueCodec.utf8())
        : client.cache(cache).typed(ValueCodec.utf8());
  }

  @ParameterizedTest
  @ValueSource(strings = {"hot", CacheSettings.DEFAULT})
  void hotKey_servedNear_othersWriteInvalidates_ownWritesReadBack(String cache) {
    String key = "celebrity-" + cache;
    AsyncRingCache<String> w = view(writer, cache);
    join(w.put(key, "v1"));
    try (CacheClient reader = nearReader(LONG_LEASE)) {
      SilentPath events = new SilentPath(reader);
      AsyncRingCache<String> r = view(reader, cache);
      heat(reader, cache, key);
      awaitServedNear(reader, cache, r, key);

      // Served near: the nodes see none of these reads (a few may miss while a heartbeat is late).
      long reads = storeReads();
      long hits = state(reader, cache).stats().hits();
      for (int i = 0; i < 1_000; i++) {
        assertThat(join(r.get(key)).orElseThrow().value()).isEqualTo("v1");
      }
      for (int i = 0; i < 100; i++) {
        assertThat(join(r.getAll(List.of(key))).get(key).value()).isEqualTo("v1");
      }
      assertThat(storeReads() - reads).as("reads that reached the nodes").isLessThan(110);
      assertThat(state(reader, cache).stats().hits() - hits).isGreaterThanOrEqualTo(990);

      // Another client's write reaches the reader by its event, long before the 30 s lease.
      join(w.put(key, "v2"));
      Awaitility.await().atMost(5, TimeUnit.SECONDS)
          .until(() -> join(r.get(key)).orElseThrow().value().equals("v2"));
      assertThat(state(reader, cache).stats().invalidations()).isPositive();

      // Own writes through another plain view of the same cache: read back at once, never the
      // near copy they replaced (each round starts with that copy served near). Their events
      // are dropped, silently: an event on time would hide a client that forgot its own write.
      events.silent = true;
      NamedCache<String> other = reader.cache(cache).typed(ValueCodec.utf8());
      for (int round = 0; round < 3; round++) {
        awaitServedNear(reader, cache, r, key);
        join(other.put(key, "own-" + round));
        assertThat(join(r.get(key)).orElseThrow().value()).isEqualTo("own-" + round);
      }
      awaitServedNear(reader, cache, r, key);
      join(other.remove(key));
      assertThat(join(r.get(key))).isEmpty();
    }
  }

  @Test
  void keyNotHot_isNeverNearCached() {
    NamedCache<String> w = writer.cache("hot").typed(ValueCodec.utf8());
    join(w.put("loud", "l"));
    join(w.put("quiet", "q"));
    try (CacheClient reader = nearReader(LONG_LEASE)) {
      NamedCache<String> r = reader.cache("hot").typed(ValueCodec.utf8());
      // The cache's near state is open and vouching: a hot key of it is served near.
      heat(reader, "hot", "loud");
      awaitServedNear(reader, "hot", r, "loud");
      assertThat(hotFor(reader, "hot", "quiet")).isFalse();

      long asked = System.nanoTime();
      assertThat(join(r.get("quiet")).orElseThrow().value()).isEqualTo("q");
      NearState s = state(reader, "hot");
      assertThat(s.entries.getIfPresent("quiet")).as("a copy of a key that is not hot").isNull();
      // Once the owner's stream has spoken since that read, a kept copy would be served.
      HostPort owner = s.ownerOf(Key.of("hot", "quiet"));
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() ->
          router(reader).subscriptions.completeSince(owner, asked, NearState.MAX_SILENCE_NANOS));
      long reads = storeReads();
      for (int i = 0; i < 200; i++) {
        join(r.get("quiet"));
      }
      assertThat(storeReads() - reads).as("reads of a key that is not hot reach the nodes")
          .isGreaterThanOrEqualTo(200);
    }
  }

  @Test
  void optionOff_nothingIsNearCached() {
    NamedCache<String> w = writer.cache("hot").typed(ValueCodec.utf8());
    join(w.put("plain", "p"));
    try (CacheClient plain = Clients.builderFor(cluster).build()) {
      NamedCache<String> r = plain.cache("hot").typed(ValueCodec.utf8());
      heat(plain, "hot", "plain");
      assertThat(router(plain).hotNear).isNull();
      // Back to back for a second: long enough for a near cache to open, fill and be vouched for.
      long reads = storeReads();
      long count = 0;
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      while (System.nanoTime() - until < 0) {
        assertThat(join(r.get("plain")).orElseThrow().value()).isEqualTo("p");
        count++;
      }
      assertThat(storeReads() - reads).as("every read of a hot key reaches the nodes")
          .isGreaterThanOrEqualTo(count);
    }
  }

  @Test
  void keyThatCools_isNoLongerAdmitted() {
    NamedCache<String> w = writer.cache("hot").typed(ValueCodec.utf8());
    join(w.put("fad", "f"));
    long position = Key.of("hot", "fad").position();
    try (CacheClient reader = nearReader(Duration.ofMillis(200))) {
      NamedCache<String> r = reader.cache("hot").typed(ValueCodec.utf8());
      heat(reader, "hot", "fad");
      awaitServedNear(reader, "hot", r, "fad");
      NearState s = state(reader, "hot");
      // Nobody reads it now: the nodes stop reporting it, and two leases after its last near
      // read this client stops admitting it.
      Awaitility.await().atMost(20, TimeUnit.SECONDS)
          .until(() -> !hotFor(reader, "hot", "fad") && !s.admits("fad", position));
      assertThat(join(r.get("fad")).orElseThrow().value()).isEqualTo("f");
      assertThat(s.entries.getIfPresent("fad")).as("a copy of a key that cooled").isNull();
    }
  }

  @Test
  void fill_ofAVersionAnEventAlreadyPassed_isRefused() {
    NamedCache<String> w = writer.cache("hot").typed(ValueCodec.utf8());
    long v1 = join(w.put("raced", "v1"));
    try (CacheClient reader = nearReader(LONG_LEASE)) {
      NamedCache<String> r = reader.cache("hot").typed(ValueCodec.utf8());
      heat(reader, "hot", "raced");
      awaitServedNear(reader, "hot", r, "raced");
      NearState s = state(reader, "hot");
      join(w.put("raced", "v2"));
      Awaitility.await().atMost(5, TimeUnit.SECONDS)
          .until(() -> s.entries.getIfPresent("raced") == null);
      // The late answer of a replica that had not applied v2 yet, read after the event came.
      Key k = Key.of("hot", "raced");
      s.fill("raced", k.position(), "v1".getBytes(StandardCharsets.UTF_8), v1,
          System.nanoTime(), s.ownerOf(k));
      assertThat(s.entries.getIfPresent("raced")).as("a copy older than a delivered event")
          .isNull();
    }
  }
}
