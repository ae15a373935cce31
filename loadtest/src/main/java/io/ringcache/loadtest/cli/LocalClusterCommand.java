package io.ringcache.loadtest.cli;

import io.ringcache.loadtest.cluster.LocalCluster;
import io.ringcache.loadtest.cluster.LocalClusterException;
import io.ringcache.loadtest.cluster.LocalNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code loadtest cluster}: a local ringcache cluster on 127.0.0.1 through {@link LocalCluster},
 * for people and scripts ({@code bin/demo-cluster}, {@code bin/node-bench}) that want nodes
 * without writing a launcher of their own.
 *
 * <h2>Design</h2>
 *
 * Once every node agrees on one topology it prints one line per node and one line of seeds, in
 * a fixed format a script can read ({@code node <name> client=<host:port> http=<host:port>
 * [resp=<host:port>] pid=<pid> log=<path>}, then {@code seeds <host:port>,...}); progress lines
 * start with {@code ==}. Without {@code --keep} it then stops every node gracefully (SIGTERM,
 * drain) and exits: a smoke check of the node jar. With {@code --keep} it stays up until it is
 * sent SIGTERM or SIGINT, when {@link LocalCluster}'s shutdown hook kills (SIGKILL) every node
 * it started; a signal is what a script has at hand ({@code kill $pid}) and works for a process
 * in the background, whose standard input is often {@code /dev/null}.
 *
 * <h2>Failure</h2>
 *
 * Bad input (a count, factor or port out of range, ports given in part, no node jar) exits 2
 * with one line before any node starts. A cluster that does not form in time, or a kept node that exits on its
 * own, exits 1 naming the node and its log; every node is stopped either way.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "Starts a local ringcache cluster on 127.0.0.1, prints its nodes and seeds,"
        + " and stops it (at once, or with --keep on SIGTERM/SIGINT).")
final class LocalClusterCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--nodes", defaultValue = "3",
      description = "nodes, named node-1..node-N; 1..32, default ${DEFAULT-VALUE}")
  int nodes;

  @Option(names = "--replication-factor",
      description = "copies of each entry, 1..nodes; default 2, or 1 for a single node")
  Integer replicationFactor;

  @Option(names = "--keep",
      description = "stay up until SIGTERM or SIGINT (Ctrl-C), then kill every node started")
  boolean keep;

  @Option(names = "--jvm-options", converter = JvmOptions.Converter.class,
      description = "JVM flags of every node, quoted as one argument; default -Xmx256m"
          + " -XX:+UseSerialGC")
  JvmOptions jvmOptions;

  @Option(names = "--node-options", paramLabel = "<flags>",
      description = "node flags after the launcher's own, quoted as one argument; default"
          + " \"--max-memory 64m --event-loops 1\"")
  String nodeOptions;

  @Option(names = "--node-jar", description = "the node jar; default"
      + " cache-node/target/cache-node.jar of the repository around the working directory")
  Path nodeJar;

  @Option(names = "--client-port", description = "node-1's binary port; node-i gets it + i - 1"
      + " (with --http-port and --cluster-port; default: free ports)")
  Integer clientPort;

  @Option(names = "--http-port", description = "node-1's HTTP port; node-i gets it + i - 1")
  Integer httpPort;

  @Option(names = "--cluster-port", description = "node-1's Hazelcast port; node-i gets it + i - 1")
  Integer clusterPort;

  @Option(names = "--resp-port", description = "node-1's RESP (Redis protocol) port; node-i gets"
      + " it + i - 1; default: no RESP")
  Integer respPort;

  @Option(names = "--log-dir", description = "logs go to <dir>/<cluster name>/<node>.log;"
      + " default java.io.tmpdir/ringcache-local")
  Path logDir;

  /** Each node's RESP port, when {@code --resp-port} is given. */
  private final Map<String, Integer> respPorts = new HashMap<>();

  @Override
  public Integer call() {
    LocalCluster cluster = start(builder());
    PrintWriter out = spec.commandLine().getOut();
    try (cluster) {
      cluster.awaitReady();
      List<LocalNode> started = cluster.names().stream()
          .map(n -> cluster.node(n).orElseThrow()).toList();
      started.forEach(n -> out.println(line(n)));
      out.println("seeds " + String.join(",", cluster.seeds()));
      out.flush();
      return keep ? keep(started, cluster, out) : stopAll(started, cluster, out);
    } catch (LocalClusterException e) {
      spec.commandLine().getErr().println("loadtest cluster: " + e.getMessage());
      return 1;
    }
  }

  /** The started nodes, not yet ready; a missing node jar is bad input. */
  private LocalCluster start(LocalCluster.Builder builder) {
    spec.commandLine().getOut().printf("== starting %d ringcache nodes on 127.0.0.1%n", nodes);
    spec.commandLine().getOut().flush();
    try {
      return builder.start();
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage());
    }
  }

  /** The builder, or bad input naming the option and its limit. */
  private LocalCluster.Builder builder() {
    int factor = replicationFactor != null ? replicationFactor : Math.min(2, nodes);
    try {
      LocalCluster.Builder builder = LocalCluster.builder().nodes(nodes)
          .replicationFactor(factor);
      if (factor > nodes) {
        throw new BadInputException(String.format(
            "--replication-factor %d exceeds --nodes %d", factor, nodes));
      }
      if (jvmOptions != null) {
        builder.jvmOptions(jvmOptions.flags());
      }
      if (nodeOptions != null) {
        String flags = nodeOptions.strip();
        builder.nodeOptions(flags.isEmpty() ? new String[0] : flags.split("\\s+"));
      }
      if (nodeJar != null) {
        builder.nodeJar(nodeJar);
      }
      if (logDir != null) {
        builder.logRoot(logDir);
      }
      fixedPorts(builder);
      return builder;
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage());
    }
  }

  private void fixedPorts(LocalCluster.Builder builder) {
    List<Integer> given = new ArrayList<>();
    for (Integer port : new Integer[] {clientPort, httpPort, clusterPort}) {
      if (port != null) {
        given.add(port);
      }
    }
    if (given.size() == 3) {
      builder.ports(clientPort, httpPort, clusterPort);
    } else if (!given.isEmpty()) {
      throw new BadInputException("--client-port, --http-port and --cluster-port go together;"
          + " given only " + given);
    }
    if (respPort != null) {
      if (respPort < 1 || respPort + nodes - 1 > 65_535) {
        throw new BadInputException(String.format("--resp-port %d: the RESP ports of %d nodes"
            + " must lie within 1..65535", respPort, nodes));
      }
      for (int i = 1; i <= nodes; i++) {
        respPorts.put("node-" + i, respPort + i - 1);
        builder.nodeOptionsFor("node-" + i, "--resp-port", Integer.toString(respPort + i - 1));
      }
    }
  }

  /** {@code node <name> client=.. http=.. [resp=..] pid=.. log=..}: one word per field. */
  private String line(LocalNode n) {
    Integer resp = respPorts.get(n.name());
    String respField = resp == null ? "" : " resp=" + n.host() + ":" + resp;
    return String.format("node %s client=%s http=%s:%d%s pid=%d log=%s", n.name(),
        n.clientAddress(), n.host(), n.httpPort(), respField, n.pid(), n.log());
  }

  /** Stops every node gracefully, last started first; 0 when every one drained and exited 0. */
  private static int stopAll(List<LocalNode> started, LocalCluster cluster, PrintWriter out) {
    int worst = 0;
    for (int i = started.size() - 1; i >= 0; i--) {
      LocalNode n = started.get(i);
      int code = cluster.stop(n.name());
      out.printf("== stopped %s (exit code %d)%n", n.name(), code);
      worst = Math.max(worst, code == 0 ? 0 : 1);
    }
    out.flush();
    return worst;
  }

  /**
   * Waits until a node exits on its own (exit 1) or this JVM is signalled, when the cluster's
   * shutdown hook kills every node. The hook lets go of the nodes before it kills them, so a node
   * the cluster no longer lists was killed by it, not lost.
   */
  private int keep(List<LocalNode> started, LocalCluster cluster, PrintWriter out) {
    out.printf("== keeping %d nodes up until SIGTERM or SIGINT (Ctrl-C); logs in %s%n",
        started.size(), cluster.logDirectory());
    out.flush();
    List<CompletableFuture<LocalNode>> exits = new ArrayList<>();
    for (LocalNode n : started) {
      ProcessHandle.of(n.pid()).ifPresentOrElse(
          h -> exits.add(h.onExit().thenApply(h2 -> n)),
          () -> exits.add(CompletableFuture.completedFuture(n)));
    }
    LocalNode gone = (LocalNode) CompletableFuture.anyOf(exits.toArray(CompletableFuture[]::new))
        .join();
    if (!cluster.names().contains(gone.name())) {
      return 0;
    }
    spec.commandLine().getErr().printf("loadtest cluster: %s (pid %d) exited on its own; see %s%n",
        gone.name(), gone.pid(), gone.log());
    return 1;
  }
}
