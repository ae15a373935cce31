package io.ringcache.node;

import io.ringcache.node.cluster.ClusterBootstrap;
import io.ringcache.node.cluster.ClusterSettings;
import io.ringcache.node.cluster.ClusteredNode;
import io.ringcache.node.config.NodeConfig;
import io.ringcache.node.config.ReadFrom;
import io.ringcache.node.config.WriteAcks;
import io.ringcache.node.metrics.NodeMetrics;
import io.ringcache.node.rebalance.Rebalancer;
import io.ringcache.node.rebalance.TransferGate;
import io.ringcache.node.replication.AntiEntropy;
import io.ringcache.node.resp.RespServer;
import io.ringcache.node.security.PeerSecret;
import io.ringcache.node.server.ConnectionSettings;
import io.ringcache.node.server.LoopFrontEnd;
import io.ringcache.node.server.NodeStats;
import io.ringcache.node.server.ReplicaFaults;
import io.ringcache.node.server.ServerSettings;
import io.ringcache.node.server.ServerVerticle;
import io.ringcache.node.server.StatsReport;
import io.ringcache.node.snapshot.WarmRestart;
import io.ringcache.node.caches.CacheRegistry;
import io.ringcache.node.caches.CacheServices;
import io.ringcache.node.caches.EventHub;
import io.ringcache.node.store.HybridClock;
import io.ringcache.protocol.CacheSpec;
import io.ringcache.node.store.LocalStore;
import io.ringcache.node.store.StoreConfig;
import io.ringcache.node.store.StoreStats;
import io.ringcache.node.store.WriteLog;
import io.ringcache.node.topology.PartitionGuard;
import io.ringcache.node.topology.ProgressBoard;
import io.ringcache.node.topology.TopologyCoordinator;
import io.ringcache.node.topology.TopologyHolder;
import io.ringcache.protocol.ProtocolLimits;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.TokenAllocator;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * A running cache node: cluster membership, the installed topology, the local store and the
 * servers, started in that order and stopped in reverse.
 *
 * <p>Start order matters: the store exists before any server accepts a request; the servers
 * listen before the coordinator can publish a topology that sends traffic here (a node is only
 * announced once it is a Hazelcast member, which happens first, so a peer may see this node
 * in a topology a few milliseconds before it listens; such a request fails with UNAVAILABLE and
 * the caller retries).
 */
public final class CacheNode {

  private static final Logger LOG = Logger.getLogger(CacheNode.class.getName());
  private static final long CLEANUP_MILLIS = 1000;
  /** How often a node re-reads the named caches' definitions (it also does on demand). */
  private static final long CACHE_REFRESH_MILLIS = 5000;
  /**
   * The expiry sweep walks the whole store about once in this many seconds (a second's slice, at
   * least {@link #MIN_SWEEP_ENTRIES}), so an expired entry nobody reads leaves the heap within
   * one or two such walks (the walk's iterator may miss entries added after it started); requests
   * never see one.
   */
  private static final long SWEEP_SECONDS = 10;
  private static final long MIN_SWEEP_ENTRIES = 10_000;
  /**
   * A tick sweeps more slices while the last one found at least this share of its entries
   * expired (Redis's active expiry uses 10% too), for at most {@link #SWEEP_BUDGET_NANOS}: a
   * store full of expired entries is reclaimed at once instead of a tenth per second.
   */
  private static final double SWEEP_AGAIN_SHARE = 0.10;
  private static final long SWEEP_BUDGET_NANOS = 50_000_000;
  /** Above this share of its byte bound, the store is swept on until one walk is done. */
  private static final double SWEEP_FULL_SHARE = 0.90;

  private final Settings settings;
  private final ClusteredNode cluster;
  private final LocalStore store;
  /** Outcomes of recent writes with a write id, shared by every event loop's router. */
  private final WriteLog writes =
      WriteLog.withDefaults();
  private final TopologyHolder topology;
  private final TopologyCoordinator coordinator;
  private final ProgressBoard board;
  private final Rebalancer rebalancer;
  private final AntiEntropy antiEntropy;
  private final NodeStats stats;
  private final StatsReport report;
  private final NodeMetrics metrics;
  private final PeerSecret peerSecret;
  private final WarmRestart warmRestart;
  private final ReplicaFaults replicaFaults = new ReplicaFaults();
  private final io.vertx.core.Promise<Void> drainRequested = io.vertx.core.Promise.promise();
  /**
   * Store maintenance (expiry clean-up, dropping entries no longer owned): long scans that must
   * stay off the event loops, on a plain thread so nothing completes onto a closed Vert.x.
   */
  private final ExecutorService maintenance =
      Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ringcache-maintenance");
        t.setDaemon(true);
        return t;
      });
  /** The server verticles' event loops, where requests are routed by an installed topology. */
  private final List<io.vertx.core.Context> serverContexts =
      new CopyOnWriteArrayList<>();
  private String deployment;
  private long cleanupTimer = -1;
  private long cacheRefreshTimer = -1;
  private long hotKeysTimer = -1;
  private final CacheServices caches;
  private final AtomicBoolean sweepQueued =
      new AtomicBoolean();

  /**
   * Everything a node needs, already validated.
   *
   * @param replicationFactor copies per key
   * @param tokens tokens per member for the balanced allocator
   * @param eventLoops event loops, and server instances (one per loop)
   * @param transferWindow entries in flight per target during a range transfer
   * @param transferBytesPerSecond pace of a node's outgoing transfers, 0 for unlimited
   * @param antiEntropyInterval time between two anti-entropy rounds, zero for on demand only
   * @param antiEntropyBytesPerSecond pace of anti-entropy, 0 for unlimited
   * @param dataDir where the warm-restart snapshot lives, or null for none ({@link WarmRestart})
   */
  public record Settings(ClusterSettings cluster, ServerSettings server, StoreConfig store,
      int replicationFactor, int tokens, int eventLoops, int transferWindow,
      long transferBytesPerSecond, List<CacheSpec> caches, Duration antiEntropyInterval,
      long antiEntropyBytesPerSecond, Path dataDir) {

    /** Default time between two anti-entropy rounds. */
    public static final Duration DEFAULT_ANTI_ENTROPY_INTERVAL =
        Duration.ofSeconds(30);
    /** Default pace of anti-entropy: 4 MiB/s. */
    public static final long DEFAULT_ANTI_ENTROPY_BYTES_PER_SECOND = 4L << 20;

    /** Default transfer window: enough in flight to fill a loopback link, few enough to bound memory. */
    public static final int DEFAULT_TRANSFER_WINDOW = 256;

    public Settings {
      Objects.requireNonNull(cluster, "cluster");
      Objects.requireNonNull(server, "server");
      Objects.requireNonNull(store, "store");
      if (eventLoops < 1) {
        throw new IllegalArgumentException("eventLoops must be at least 1, was " + eventLoops);
      }
      if (transferWindow < 1) {
        throw new IllegalArgumentException(
            "transferWindow must be at least 1, was " + transferWindow);
      }
      if (transferBytesPerSecond < 0) {
        throw new IllegalArgumentException("transferBytesPerSecond must be >= 0 (0 = unlimited),"
            + " was " + transferBytesPerSecond);
      }
      caches = List.copyOf(caches);
      Objects.requireNonNull(antiEntropyInterval, "antiEntropyInterval");
      if (antiEntropyInterval.isNegative() || antiEntropyBytesPerSecond < 0) {
        throw new IllegalArgumentException(String.format("antiEntropyInterval must be >= 0 (0 ="
            + " on demand only) and antiEntropyBytesPerSecond >= 0 (0 = unlimited), were %s"
            + " and %d", antiEntropyInterval, antiEntropyBytesPerSecond));
      }
    }

    /** Settings without a data directory (no warm restart). */
    public Settings(ClusterSettings cluster, ServerSettings server, StoreConfig store,
        int replicationFactor, int tokens, int eventLoops, int transferWindow,
        long transferBytesPerSecond, List<CacheSpec> caches, Duration antiEntropyInterval,
        long antiEntropyBytesPerSecond) {
      this(cluster, server, store, replicationFactor, tokens, eventLoops, transferWindow,
          transferBytesPerSecond, caches, antiEntropyInterval, antiEntropyBytesPerSecond, null);
    }

    /** These settings with snapshots kept in {@code dir} (null: none). */
    public Settings withDataDir(Path dir) {
      return new Settings(cluster, server, store, replicationFactor, tokens, eventLoops,
          transferWindow, transferBytesPerSecond, caches, antiEntropyInterval,
          antiEntropyBytesPerSecond, dir);
    }

    /** Settings with caches to create at start and the default anti-entropy. */
    public Settings(ClusterSettings cluster, ServerSettings server, StoreConfig store,
        int replicationFactor, int tokens, int eventLoops, int transferWindow,
        long transferBytesPerSecond, List<CacheSpec> caches) {
      this(cluster, server, store, replicationFactor, tokens, eventLoops, transferWindow,
          transferBytesPerSecond, caches, DEFAULT_ANTI_ENTROPY_INTERVAL,
          DEFAULT_ANTI_ENTROPY_BYTES_PER_SECOND);
    }

    /** Settings without caches to create at start. */
    public Settings(ClusterSettings cluster, ServerSettings server, StoreConfig store,
        int replicationFactor, int tokens, int eventLoops, int transferWindow,
        long transferBytesPerSecond) {
      this(cluster, server, store, replicationFactor, tokens, eventLoops, transferWindow,
          transferBytesPerSecond, List.of());
    }

    /** These settings with other server settings. */
    public Settings withServer(ServerSettings server) {
      return new Settings(cluster, server, store, replicationFactor, tokens, eventLoops,
          transferWindow, transferBytesPerSecond, caches, antiEntropyInterval,
          antiEntropyBytesPerSecond, dataDir);
    }

    /** These settings with another anti-entropy interval (zero: on demand only) and pace. */
    public Settings withAntiEntropy(Duration interval, long bytesPerSecond) {
      return new Settings(cluster, server, store, replicationFactor, tokens, eventLoops,
          transferWindow, transferBytesPerSecond, caches, interval, bytesPerSecond, dataDir);
    }

    /** These settings, creating {@code specs} at start unless they exist. */
    public Settings withCaches(List<CacheSpec> specs) {
      return new Settings(cluster, server, store, replicationFactor, tokens, eventLoops,
          transferWindow, transferBytesPerSecond, specs, antiEntropyInterval,
          antiEntropyBytesPerSecond, dataDir);
    }

    /** Settings with the default, unpaced transfer. */
    public Settings(ClusterSettings cluster, ServerSettings server, StoreConfig store,
        int replicationFactor, int tokens, int eventLoops) {
      this(cluster, server, store, replicationFactor, tokens, eventLoops,
          DEFAULT_TRANSFER_WINDOW, 0);
    }
  }

  /** The settings {@code config} describes. */
  public static Settings settingsOf(NodeConfig config) {
    ProtocolLimits limits = ProtocolLimits
        .of(config.maxKeyBytes(), config.maxValueBytes())
        .withMaxBatchEntries(config.maxBatchEntries());
    ServerSettings server = new ServerSettings(config.name(), config.host(), config.port(),
        config.httpPort(), config.writeAcks() == WriteAcks.ALL,
        config.readFrom() == ReadFrom.ANY, config.maxConnections(),
        config.maxInFlight(), config.requestTimeout().toMillis(), config.authTokens(), limits,
        config.tls(), new ConnectionSettings(
            config.idleTimeout().toMillis(), config.helloTimeout().toMillis()))
        .withRespPort(config.respPort());
    return new Settings(config.clusterSettings(), server,
        new StoreConfig(config.maxMemoryBytes(), config.tombstoneTtl(),
            config.maxClockOffset()),
        config.replicationFactor(), config.tokens(), config.eventLoops(), config.transferWindow(),
        config.transferBytesPerSecond(), config.caches(), config.antiEntropyInterval(),
        config.antiEntropyBytesPerSecond(),
        config.dataDir().isEmpty() ? null : Path.of(config.dataDir()));
  }

  private CacheNode(Settings configured, ClusteredNode cluster, PeerSecret peerSecret) {
    // The incarnation is the id this start drew for its cluster membership (a member attribute).
    Settings settings = configured.withServer(configured.server()
        .withIncarnation(cluster.membership().self().incarnation()));
    this.settings = settings;
    this.cluster = cluster;
    this.peerSecret = peerSecret;
    HybridClock clock = HybridClock.forNode(settings.server().nodeName());
    this.store = LocalStore.create(settings.store(), clock);
    this.topology = new TopologyHolder(settings.replicationFactor());
    this.caches = new CacheServices(new CacheRegistry(cluster.state()), new EventHub(), clock);
    caches.watchExpiry(store, topology, settings.server().self());
    this.stats = new NodeStats();
    this.board = new ProgressBoard(cluster.vertx(), cluster.hazelcast());
    ServerSettings server = settings.server();
    this.antiEntropy = new AntiEntropy(cluster.vertx(), server.self(), store, topology,
        caches.registry::clearedAway, new AntiEntropy.Settings(settings.antiEntropyInterval(),
            settings.antiEntropyBytesPerSecond(), server.requestTimeoutMillis(), server.authToken(),
            peerSecret, server.limits(), server.tls(), server.host()));
    this.rebalancer = new Rebalancer(cluster.vertx(), server.nodeName(),
        server.incarnation(), store, writes, topology, board,
        new Rebalancer.Settings(settings.transferWindow(), settings.transferBytesPerSecond(),
            server.requestTimeoutMillis(), server.authToken(), peerSecret, server.limits(),
            server.tls(), server.host()),
        maintenance, serverContexts,
        () -> {
          Map<String, String> live = new LinkedHashMap<>();
          cluster.membership().members().forEach(m -> live.put(m.name(), m.incarnation()));
          return live;
        }, antiEntropy);
    this.warmRestart = new WarmRestart(cluster.vertx(), settings.dataDir(), server, peerSecret,
        store, topology, settings.store().tombstoneTtl(), maintenance);
    this.report = new StatsReport(server.nodeName(), store, topology, stats,
        rebalancer.status(), caches.hotKeys, antiEntropy.stats(), warmRestart::json);
    PartitionGuard guard = new PartitionGuard(settings.cluster().partitionPolicy(),
        () -> cluster.membership().snapshot().names()).follow(topology);
    guard.onHeal(antiEntropy::runAfterHeal);
    guard.onHeal(rebalancer::healed);
    cluster.membership().onChange(snapshot -> guard.check());
    topology.guardWith(guard);
    this.coordinator = new TopologyCoordinator(cluster, topology,
        TokenAllocator.balanced(settings.tokens(), settings.replicationFactor()),
        settings.replicationFactor(), board);
    // Last: its JVM binders hook GC notifications, which must not leak if a constructor fails.
    this.metrics = new NodeMetrics(store, topology, stats, rebalancer.status());
    metrics.bindCaches(caches, stats);
    metrics.bindAntiEntropy(antiEntropy.stats(), store);
  }

  /** Joins the cluster, starts the servers and installs the current topology. Never throws. */
  public static Future<CacheNode> start(Settings settings) {
    return start(settings, ClusterBootstrap.DEFAULT_PROPERTIES);
  }

  /** {@link #start(Settings)} with explicit Hazelcast properties (tests use fewer threads). */
  public static Future<CacheNode> start(Settings settings,
      Map<String, String> hazelcastProperties) {
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(settings.eventLoops());
    settings.server().tls().eventBus(options.getEventBusOptions());
    return ClusterBootstrap.start(settings.cluster(), options, hazelcastProperties)
        .compose(cluster -> cluster.state().peerSecret()
            .recover(e -> cluster.close().transform(x -> Future.failedFuture(e)))
            .compose(secret -> startOn(settings, cluster, secret)));
  }

  /** Builds the node on a joined cluster and starts its services; closes all on failure. */
  private static Future<CacheNode> startOn(Settings settings, ClusteredNode cluster,
      PeerSecret secret) {
    CacheNode node;
    try {
      node = new CacheNode(settings, cluster, secret);
    } catch (RuntimeException e) {
      return cluster.close().transform(x -> Future.failedFuture(e));
    }
    return node.startServices().recover(err ->
        node.close().transform(x -> Future.failedFuture(err)));
  }

  /** Creates the caches the node's {@code caches-file} defines, unless they exist. */
  private Future<Void> createConfiguredCaches() {
    Future<Void> done = Future.succeededFuture();
    for (CacheSpec spec : settings.caches()) {
      done = done.compose(v -> caches.registry.create(spec).map(e -> {
        if (e.getValue()) {
          LOG.info(() -> "created cache '" + spec.name() + "' from the caches file");
        }
        return (Void) null;
      }));
    }
    return done;
  }

  /** Named caches: definitions, clear marks and event subscribers. */
  public CacheServices caches() {
    return caches;
  }

  /**
   * One tick of active expiry, on the maintenance thread: a slice, then more while they find many
   * expired entries, or while the store is nearly full (expired entries then take the room live
   * ones need, and Caffeine would evict live entries first), at most one walk of the store and
   * {@link #SWEEP_BUDGET_NANOS} per tick.
   */
  private void sweepExpired() {
    try {
      long size = store.size();
      long slice = Math.max(MIN_SWEEP_ENTRIES, size / SWEEP_SECONDS);
      long deadline = System.nanoTime() + SWEEP_BUDGET_NANOS;
      long swept = 0;
      long removed;
      do {
        removed = store.sweep(slice);
        swept += slice;
      } while ((removed >= slice * SWEEP_AGAIN_SHARE || nearlyFull())
          && swept < size && System.nanoTime() < deadline);
    } finally {
      sweepQueued.set(false);
    }
  }

  private boolean nearlyFull() {
    StoreStats s = store.stats();
    return s.weightedBytes() >= s.maxBytes() * SWEEP_FULL_SHARE;
  }

  /** The front-ends beside the binary and HTTP servers on every loop: RESP when configured. */
  private List<LoopFrontEnd> frontEnds() {
    ServerSettings server = settings.server();
    return server.respPort() > 0
        ? List.of(RespServer.frontEnd(server, topology::epoch, store::stats, stats))
        : List.of();
  }

  private Future<CacheNode> startServices() {
    Vertx vertx = cluster.vertx();
    cleanupTimer = vertx.setPeriodic(CLEANUP_MILLIS, id -> {
      // One sweep queued at a time: a slow one delays the next instead of piling up behind it.
      if (sweepQueued.compareAndSet(false, true)) {
        maintenance.execute(this::sweepExpired);
      }
    });
    cacheRefreshTimer = vertx.setPeriodic(CACHE_REFRESH_MILLIS,
        id -> caches.registry.refreshInBackground());
    hotKeysTimer = vertx.setPeriodic(1_000, id -> caches.hotKeys.roll());
    // The snapshot is checked whole before anything serves; its replay waits for a topology.
    return vertx.executeBlocking(() -> {
          warmRestart.load();
          return null;
        }, false)
        .compose(v -> caches.registry.refresh())
        .compose(v -> createConfiguredCaches())
        .compose(v -> board.start())
        .compose(v -> vertx.deployVerticle(
            () -> new ServerVerticle(settings.server(), peerSecret, store, writes, topology, stats, report,
                rebalancer::draining, drainRequested::tryComplete, serverContexts, metrics,
                replicaFaults, caches, antiEntropy::runNow, warmRestart::write, frontEnds()),
            new DeploymentOptions().setInstances(settings.eventLoops())))
        .compose(id -> {
          deployment = id;
          return rebalancer.start();
        })
        .compose(v -> antiEntropy.start())
        .compose(v -> warmRestart.start())
        .compose(v -> coordinator.start())
        .map(v -> {
          LOG.info(() -> String.format("node '%s' serving on %s:%d (http %d, resp %d), cluster '%s'",
              settings.server().nodeName(), settings.server().host(), settings.server().port(),
              settings.server().httpPort(), settings.server().respPort(), settings.cluster().clusterName()));
          return this;
        });
  }

  /**
   * Stops the servers but stays a cluster member: peers still route to this node and fail to
   * reach it. Tests use it to make a replica unreachable.
   */
  public Future<Void> stopServing() {
    if (deployment == null) {
      return Future.succeededFuture();
    }
    String id = deployment;
    deployment = null;
    return cluster.vertx().undeploy(id);
  }

  /**
   * Hands this node's ranges to the others and waits until a STABLE topology without it is
   * installed everywhere it matters; the node keeps serving meanwhile and reports not ready.
   * Completes {@code true} when drained, {@code false} when {@code timeout} ran out first. Call
   * {@link #close()} afterwards.
   */
  public Future<Boolean> drain(Duration timeout) {
    if (cluster.membership().members().size() <= 1) {
      LOG.info(() -> "node '" + name() + "' is the only member: nothing to hand its data to");
      return Future.succeededFuture(true);
    }
    io.vertx.core.Promise<Boolean> done = io.vertx.core.Promise.promise();
    long timer = cluster.vertx().setTimer(Math.max(1, timeout.toMillis()),
        id -> done.tryComplete(false));
    rebalancer.drain().onSuccess(v -> {
      cluster.vertx().cancelTimer(timer);
      done.tryComplete(true);
    });
    return done.future();
  }

  /**
   * Writes this node's snapshot to its {@code data-dir} now ({@link WarmRestart#write}); fails
   * when none is set. A graceful stop calls it after the drain, before {@link #close()}.
   */
  public Future<JsonObject> snapshot() {
    return warmRestart.write();
  }

  /** This node's warm restart: the snapshot loaded, replayed and written. */
  public WarmRestart warmRestart() {
    return warmRestart;
  }

  /** Completes when an operator asked this node to drain ({@code POST /v1/admin/drain}). */
  public Future<Void> drainRequested() {
    return drainRequested.future();
  }

  /** Whether {@link #drain} was called. Readiness is false from then on. */
  public boolean draining() {
    return rebalancer.draining();
  }

  /** The test hook that makes this node refuse replica writes for a while. */
  public ReplicaFaults replicaFaults() {
    return replicaFaults;
  }

  /** This node's anti-entropy: rounds on demand, counters. */
  public AntiEntropy antiEntropy() {
    return antiEntropy;
  }

  /** The test hook that holds this node's outgoing range transfers. */
  public TransferGate transferGate() {
    return rebalancer.gate();
  }

  /**
   * The test hooks that hold this node's topology publications while it coordinates ({@link
   * TopologyCoordinator#holdPublications()}).
   */
  public TopologyCoordinator coordinator() {
    return coordinator;
  }

  /** Stops serving and leaves the cluster. Completes when everything is closed. */
  public Future<Void> close() {
    Vertx vertx = cluster.vertx();
    if (cacheRefreshTimer >= 0) {
      vertx.cancelTimer(cacheRefreshTimer);
    }
    if (hotKeysTimer >= 0) {
      vertx.cancelTimer(hotKeysTimer);
    }
    if (cleanupTimer >= 0) {
      vertx.cancelTimer(cleanupTimer);
    }
    Future<Void> stopCoordinator = coordinator.stop();
    Future<Void> stopRebalancer = rebalancer.stop();
    Future<Void> stopAntiEntropy = antiEntropy.stop();
    Future<Void> stopWarmRestart = warmRestart.stop();
    Future<Void> undeploy = deployment == null ? Future.succeededFuture()
        : vertx.undeploy(deployment);
    return Future.join(List.of(stopCoordinator, stopRebalancer, stopAntiEntropy,
            stopWarmRestart, undeploy))
        .transform(x -> board.stop())
        .transform(x -> vertx.executeBlocking(() -> {
          maintenance.shutdownNow();
          return maintenance.awaitTermination(10, TimeUnit.SECONDS);
        }, false))
        .andThen(x -> warmRestart.abandonWrites())
        .transform(x -> cluster.close())
        .onComplete(x -> metrics.close());
  }

  /**
   * Dies without a word, for tests: Hazelcast terminates at once (no graceful leave, no
   * migration) and the servers close, as when the process is killed. Other members see the
   * member vanish, as after {@code kill -9}.
   */
  public Future<Void> crash() {
    maintenance.shutdownNow();
    warmRestart.abandonWrites();
    metrics.close();
    cluster.hazelcast().getLifecycleService().terminate();
    return cluster.vertx().close();
  }

  public String name() {
    return settings.server().nodeName();
  }

  public Settings settings() {
    return settings;
  }

  public Topology topology() {
    return topology.current();
  }

  public TopologyHolder topologyHolder() {
    return topology;
  }

  public LocalStore store() {
    return store;
  }

  public NodeStats stats() {
    return stats;
  }

  /**
   * The cluster's peer secret, which this node presents to its peers and asks of them; for tests
   * and tools in the node's own process. Never log it.
   */
  public PeerSecret peerSecret() {
    return peerSecret;
  }

  public StatsReport report() {
    return report;
  }

  /** This node's meters, as {@code GET /metrics} shows them. */
  public NodeMetrics metrics() {
    return metrics;
  }

  public ClusteredNode cluster() {
    return cluster;
  }

  public Vertx vertx() {
    return cluster.vertx();
  }

  public boolean isCoordinator() {
    return coordinator.isCoordinator();
  }
}
