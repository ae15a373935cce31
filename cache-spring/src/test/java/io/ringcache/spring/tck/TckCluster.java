package io.ringcache.spring.tck;

import io.ringcache.node.CacheNode;
import io.ringcache.node.testing.TestCluster;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster the TCK's annotation tests cache in (2 nodes, RF=2, as for the rest of the TCK in
 * cache-jcache): started on first use, stopped when the JVM exits, since the TCK gives its bean
 * provider no end of life.
 */
final class TckCluster {

  private static final TestCluster CLUSTER = start();

  private TckCluster() {
  }

  private static TestCluster start() {
    TestCluster cluster = new TestCluster(2).start(2);
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "jcache-tck-spring-stop"));
    return cluster;
  }

  /** {@code ringcache://host:port,...} naming every node. */
  static String uri() {
    List<String> seeds = new ArrayList<>();
    for (CacheNode n : CLUSTER.nodes()) {
      seeds.add("127.0.0.1:" + n.settings().server().port());
    }
    return "ringcache://" + String.join(",", seeds);
  }
}
