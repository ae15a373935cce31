package io.ringcache.node.cluster;

import io.ringcache.protocol.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a node needs to join a cluster and to tell the other members who it is.
 *
 * <p>Every member publishes {@link #memberName()}, {@link #zone()}, {@link #weight()}, {@link
 * #clientPort()} and {@link #httpPort()} (and its {@link #host()}) as Hazelcast member attributes;
 * see {@link MemberView}.
 *
 * @param clusterName Hazelcast cluster name; members with other names never join this cluster
 * @param memberName stable identity on the ring, surviving restarts; {@code null} derives {@code
 *     host:clientPort}
 * @param host address this node binds and advertises (Hazelcast member, event bus, and the client
 *     address other members and clients use)
 * @param clusterPort Hazelcast member port: 0 lets the system pick a free port (the member is then
 *     reachable only through seeds that learn it at run time); otherwise the first port tried,
 *     incremented up to {@link #CLUSTER_PORT_COUNT} times so several members share a host
 * @param seeds {@code host:port} addresses of members to join through (TCP-IP join); empty means
 *     this node starts alone until others seed through it
 * @param zone failure zone, or the empty string when zones are not used
 * @param weight positive, finite share multiplier; 1.0 is the norm
 * @param clientPort port of the binary-protocol client server, 1..65535
 * @param httpPort port of the HTTP server, 1..65535, or 0 when the node serves no HTTP
 * @param eventBusPort port of the Vert.x clustered event bus, 0 = any free port
 * @param kubernetesServiceDns DNS name of a Kubernetes headless Service listing the members; when
 *     set, members find each other through it and {@link #seeds()} is ignored; {@code ""} (or
 *     {@code null}) = TCP-IP join through the seeds
 * @param partitionPolicy what this node does while it sees no majority of the last STABLE
 *     topology's members; {@code null} = {@link PartitionPolicy#AVAILABLE}
 */
public record ClusterSettings(
    String clusterName,
    String memberName,
    String host,
    int clusterPort,
    List<String> seeds,
    String zone,
    double weight,
    int clientPort,
    int httpPort,
    int eventBusPort,
    String kubernetesServiceDns,
    PartitionPolicy partitionPolicy) {

  public static final String DEFAULT_CLUSTER_NAME = "ringcache";
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_CLUSTER_PORT = 5701;
  public static final int DEFAULT_CLIENT_PORT = 7000;
  public static final int DEFAULT_HTTP_PORT = 8080;

  /** How many ports from {@link #clusterPort()} upwards a member tries before it fails. */
  public static final int CLUSTER_PORT_COUNT = 100;

  public ClusterSettings {
    clusterName = requireName("clusterName", clusterName);
    host = requireName("host", host);
    if (clusterPort < 0 || clusterPort > 65_536 - CLUSTER_PORT_COUNT) {
      throw new IllegalArgumentException(
          String.format(
              "clusterPort must be 0 or within 1..%d (it is incremented up to %d times), was %d",
              65_536 - CLUSTER_PORT_COUNT, CLUSTER_PORT_COUNT, clusterPort));
    }
    requirePort("clientPort", clientPort, 1);
    requirePort("httpPort", httpPort, 0);
    requirePort("eventBusPort", eventBusPort, 0);
    kubernetesServiceDns = kubernetesServiceDns == null ? "" : kubernetesServiceDns.strip();
    partitionPolicy = partitionPolicy == null ? PartitionPolicy.AVAILABLE : partitionPolicy;
    memberName =
        memberName == null ? host + ":" + clientPort : requireName("memberName", memberName);
    Objects.requireNonNull(seeds, "seeds");
    List<String> checked = new ArrayList<>(seeds.size());
    for (String seed : seeds) {
      checked.add(HostPort.parse("seed", seed).toString());
    }
    seeds = List.copyOf(checked);
    zone = zone == null ? "" : zone.strip();
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException(
          String.format("weight must be positive and finite, was %s", weight));
    }
  }

  /** Settings with the {@link PartitionPolicy#AVAILABLE} partition policy. */
  public ClusterSettings(String clusterName, String memberName, String host, int clusterPort,
      List<String> seeds, String zone, double weight, int clientPort, int httpPort,
      int eventBusPort, String kubernetesServiceDns) {
    this(clusterName, memberName, host, clusterPort, seeds, zone, weight, clientPort, httpPort,
        eventBusPort, kubernetesServiceDns, PartitionPolicy.AVAILABLE);
  }

  /** A builder starting from the defaults: cluster {@value #DEFAULT_CLUSTER_NAME}, alone. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings, to change a few of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.clusterName = clusterName;
    b.memberName = memberName;
    b.host = host;
    b.clusterPort = clusterPort;
    b.seeds = seeds;
    b.zone = zone;
    b.weight = weight;
    b.clientPort = clientPort;
    b.httpPort = httpPort;
    b.eventBusPort = eventBusPort;
    b.kubernetesServiceDns = kubernetesServiceDns;
    b.partitionPolicy = partitionPolicy;
    return b;
  }

  /** The address clients and peers use for the binary protocol, {@code host:clientPort}. */
  public String clientAddress() {
    return HostPort.format(host, clientPort);
  }

  private static String requireName(String what, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          String.format(
              "%s must not be blank, was %s", what, value == null ? "null" : "'" + value + "'"));
    }
    return value.strip();
  }

  private static void requirePort(String what, int port, int min) {
    if (port < min || port > 65_535) {
      throw new IllegalArgumentException(
          String.format("%s must be within %d..65535, was %d", what, min, port));
    }
  }

  /** Collects settings; {@link #build()} validates them all at once. */
  public static final class Builder {
    private String clusterName = DEFAULT_CLUSTER_NAME;
    private String memberName;
    private String host = DEFAULT_HOST;
    private int clusterPort = DEFAULT_CLUSTER_PORT;
    private List<String> seeds = List.of();
    private String zone = "";
    private double weight = 1.0;
    private int clientPort = DEFAULT_CLIENT_PORT;
    private int httpPort = DEFAULT_HTTP_PORT;
    private int eventBusPort;
    private String kubernetesServiceDns = "";
    private PartitionPolicy partitionPolicy = PartitionPolicy.AVAILABLE;

    private Builder() {}

    public Builder clusterName(String clusterName) {
      this.clusterName = clusterName;
      return this;
    }

    /** The stable member name; {@code null} (the default) derives {@code host:clientPort}. */
    public Builder memberName(String memberName) {
      this.memberName = memberName;
      return this;
    }

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder clusterPort(int clusterPort) {
      this.clusterPort = clusterPort;
      return this;
    }

    public Builder seeds(List<String> seeds) {
      this.seeds = Objects.requireNonNull(seeds, "seeds");
      return this;
    }

    public Builder seeds(String... seeds) {
      return seeds(List.of(seeds));
    }

    public Builder zone(String zone) {
      this.zone = zone;
      return this;
    }

    public Builder weight(double weight) {
      this.weight = weight;
      return this;
    }

    public Builder clientPort(int clientPort) {
      this.clientPort = clientPort;
      return this;
    }

    public Builder httpPort(int httpPort) {
      this.httpPort = httpPort;
      return this;
    }

    public Builder eventBusPort(int eventBusPort) {
      this.eventBusPort = eventBusPort;
      return this;
    }

    /** The headless Service to discover members through; {@code ""} joins through the seeds. */
    public Builder kubernetesServiceDns(String kubernetesServiceDns) {
      this.kubernetesServiceDns = kubernetesServiceDns;
      return this;
    }

    /** What the node does while it sees no majority of the last STABLE topology's members. */
    public Builder partitionPolicy(PartitionPolicy partitionPolicy) {
      this.partitionPolicy = partitionPolicy;
      return this;
    }

    /**
     * Validates and returns the settings.
     *
     * @throws IllegalArgumentException naming the first invalid value and its limit
     */
    public ClusterSettings build() {
      return new ClusterSettings(
          clusterName, memberName, host, clusterPort, seeds, zone, weight, clientPort, httpPort,
          eventBusPort, kubernetesServiceDns, partitionPolicy);
    }
  }
}
