package io.ringcache.node.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Starts a clustered Vert.x on Hazelcast from {@link ClusterSettings}.
 *
 * <h2>Design</h2>
 *
 * The Hazelcast {@link Config} is built in code, never loaded from {@code cluster.xml} on the class
 * path: cluster name, TCP-IP join through the seeds, multicast and auto-detection off, bound to the
 * settings' host only, phone-home off. The member's identity travels as member attributes ({@link
 * MemberAttributes}), fixed before the member joins, so every member reads every other member's
 * name and client address straight from the member list without a lookup. The same identity is
 * copied into the Vert.x cluster node metadata.
 *
 * <p>Timing properties default to a cache's needs ({@link #DEFAULT_PROPERTIES}): join without the 5
 * s initial wait, detect a silent member after 10 s rather than 60 s, merge split clusters after 10
 * s rather than 5 min. Callers may override any Hazelcast property.
 *
 * <h2>Concurrency</h2>
 *
 * {@link #start} resolves {@code settings.host()} on the calling thread (a DNS lookup unless the
 * host is an IP literal); the join itself runs on a Vert.x worker. Membership events are handled on
 * the context of a small verticle deployed for it.
 */
public final class ClusterBootstrap {

  /**
   * Hazelcast properties set unless overridden. {@code hazelcast.phone.home.enabled} is always
   * false.
   */
  public static final Map<String, String> DEFAULT_PROPERTIES =
      Map.of(
          "hazelcast.wait.seconds.before.join", "0",
          "hazelcast.max.wait.seconds.before.join", "5",
          "hazelcast.heartbeat.interval.seconds", "1",
          "hazelcast.max.no.heartbeat.seconds", "10",
          "hazelcast.merge.first.run.delay.seconds", "10",
          "hazelcast.merge.next.run.delay.seconds", "10",
          "hazelcast.socket.bind.any", "false",
          "hazelcast.logging.type", "jdk");

  private ClusterBootstrap() {}

  /** Starts a member with {@link #DEFAULT_PROPERTIES}. */
  public static Future<ClusteredNode> start(ClusterSettings settings, VertxOptions options) {
    return start(settings, options, Map.of());
  }

  /**
   * Starts a member and joins the cluster named in {@code settings}.
   *
   * @param options Vert.x options, copied; the event bus host and port are replaced by the
   *     settings' host and event-bus port
   * @param hazelcastProperties Hazelcast properties that override {@link #DEFAULT_PROPERTIES}
   * @return the started node, or a failed future if the settings' host does not resolve or the
   *     member cannot start or join
   */
  public static Future<ClusteredNode> start(
      ClusterSettings settings, VertxOptions options, Map<String, String> hazelcastProperties) {
    Config config;
    try {
      Objects.requireNonNull(settings, "settings");
      Objects.requireNonNull(options, "options");
      config = hazelcastConfig(settings, hazelcastProperties);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    HazelcastClusterManager manager = new HazelcastClusterManager(config);
    VertxOptions vertxOptions = new VertxOptions(options);
    vertxOptions
        .getEventBusOptions()
        .setHost(settings.host())
        .setPort(settings.eventBusPort())
        .setClusterNodeMetadata(metadata(settings));
    SourceAddress.of(settings.host()).ifPresent(local -> vertxOptions.setEventBusOptions(
        new BoundEventBusOptions(vertxOptions.getEventBusOptions(), local)));
    return Vertx.builder()
        .with(vertxOptions)
        .withClusterManager(manager)
        .buildClustered()
        .compose(vertx -> attach(settings, vertx, manager.getHazelcastInstance()));
  }

  private static Future<ClusteredNode> attach(
      ClusterSettings settings, Vertx vertx, HazelcastInstance hazelcast) {
    MembershipVerticle verticle = new MembershipVerticle(hazelcast);
    return vertx
        .deployVerticle(verticle)
        .map(
            id ->
                new ClusteredNode(
                    settings,
                    vertx,
                    hazelcast,
                    verticle.membership,
                    new HazelcastClusterState(
                        vertx, hazelcast.getMap(HazelcastClusterState.MAP_NAME))))
        .recover(failure -> vertx.close().transform(closed -> Future.failedFuture(failure)));
  }

  /** The Hazelcast configuration for {@code settings}; package-private for tests. */
  static Config hazelcastConfig(ClusterSettings settings, Map<String, String> overrides) {
    Config config = new Config();
    config.setClusterName(settings.clusterName());

    Map<String, String> properties = new LinkedHashMap<>(DEFAULT_PROPERTIES);
    properties.putAll(Objects.requireNonNull(overrides, "hazelcastProperties"));
    properties.put("hazelcast.phone.home.enabled", "false");
    properties.forEach(config::setProperty);

    NetworkConfig network = config.getNetworkConfig();
    network
        .setPort(settings.clusterPort())
        .setPortAutoIncrement(settings.clusterPort() != 0)
        .setPortCount(ClusterSettings.CLUSTER_PORT_COUNT);
    network.getInterfaces().setEnabled(true).setInterfaces(List.of(resolve(settings.host())));
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (settings.kubernetesServiceDns().isEmpty()) {
      join.getTcpIpConfig().setEnabled(true).setMembers(settings.seeds());
    } else {
      // DNS lookup mode: no Kubernetes API access (and no RBAC) needed, only a headless Service
      // that publishes not-ready addresses, so members find each other before they are ready.
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig()
          .setEnabled(true)
          .setProperty("service-dns", settings.kubernetesServiceDns())
          .setProperty("service-port", Integer.toString(
              settings.clusterPort() == 0 ? ClusterSettings.DEFAULT_CLUSTER_PORT
                  : settings.clusterPort()));
    }

    MemberAttributes.write(settings, UUID.randomUUID().toString(),
        config.getMemberAttributeConfig());

    // What vertx-hazelcast's default-cluster.xml declares, since this config replaces it.
    config.addMultiMapConfig(
        new MultiMapConfig("__vertx.subs")
            .setBackupCount(1)
            .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    config.addMapConfig(
        new MapConfig(HazelcastClusterState.MAP_NAME)
            .setBackupCount(HazelcastClusterState.BACKUP_COUNT));
    return config;
  }

  private static String resolve(String host) {
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          String.format("host '%s' does not resolve: %s", host, e.getMessage()), e);
    }
  }

  private static JsonObject metadata(ClusterSettings settings) {
    return new JsonObject()
        .put(MemberAttributes.NAME, settings.memberName())
        .put(MemberAttributes.HOST, settings.host())
        .put(MemberAttributes.CLIENT_PORT, settings.clientPort())
        .put(MemberAttributes.HTTP_PORT, settings.httpPort())
        .put(MemberAttributes.ZONE, settings.zone())
        .put(MemberAttributes.WEIGHT, settings.weight());
  }

  /**
   * Event-bus options whose connections to other members start from {@code localAddress} ({@link
   * SourceAddress}). Vert.x has no event-bus setting for it, but builds the event bus's client
   * options from {@link EventBusOptions#toJson()}, which here carries the client option
   * {@code localAddress} too. Should a Vert.x release stop doing so, connections simply start
   * from the address the operating system picks, as before.
   */
  private static final class BoundEventBusOptions extends EventBusOptions {
    private final String localAddress;

    BoundEventBusOptions(EventBusOptions options, String localAddress) {
      super(options);
      this.localAddress = localAddress;
    }

    @Override
    public JsonObject toJson() {
      return super.toJson().put("localAddress", localAddress);
    }
  }

  /** Owns the context membership events are handled on; stops listening on undeploy. */
  private static final class MembershipVerticle extends VerticleBase {
    private final HazelcastInstance hazelcast;
    private volatile HazelcastMembership membership;

    MembershipVerticle(HazelcastInstance hazelcast) {
      this.hazelcast = hazelcast;
    }

    @Override
    public Future<?> start() {
      membership = new HazelcastMembership(hazelcast.getCluster(), context);
      membership.start();
      return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
      membership.close();
      return Future.succeededFuture();
    }
  }
}
