package io.ringcache.jcache.testing;

import io.ringcache.client.CacheClient;
import io.ringcache.jcache.ClientFactory;
import io.ringcache.node.CacheNode;
import io.ringcache.node.testing.TestCluster;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Clients of one real in-JVM cluster (2 nodes, RF=2, through {@link TestCluster}), started on
 * first use and stopped when the JVM exits: what the JCache TCK runs against in CI. Every
 * CacheManager, whatever its URI, gets its own client of this one cluster, as managers of one
 * application talk to one cluster.
 */
public final class ClusterClientFactory implements ClientFactory {

  private static final int NODES = 2;
  private static final int REPLICATION_FACTOR = 2;

  /** The cluster and its seeds, made once per JVM by the holder idiom. */
  private static final class Holder {
    static final TestCluster CLUSTER = start();
    static final List<String> SEEDS = seeds(CLUSTER);

    private static TestCluster start() {
      TestCluster cluster = new TestCluster(REPLICATION_FACTOR).start(NODES);
      Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "jcache-tck-cluster-stop"));
      return cluster;
    }

    private static List<String> seeds(TestCluster cluster) {
      List<String> seeds = new ArrayList<>();
      for (CacheNode n : cluster.nodes()) {
        seeds.add("127.0.0.1:" + n.settings().server().port());
      }
      return seeds;
    }
  }

  @Override
  public CacheClient create(URI uri, Properties properties) {
    return CacheClient.builder()
        .seeds(Holder.SEEDS)
        .requestTimeout(Duration.ofSeconds(2))
        .maxRetries(5)
        .clientName("jcache-tck")
        .build();
  }
}
