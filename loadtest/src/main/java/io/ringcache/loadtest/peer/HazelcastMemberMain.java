package io.ringcache.loadtest.peer;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.ringcache.protocol.HostPort;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One Hazelcast member, the peer the load test compares ringcache with; started by {@link
 * HazelcastCluster} as a process of its own.
 *
 * <pre>
 * HazelcastMemberMain --name m-1 --cluster-name hz-1a2b3c4d --port 15701
 *     --members 127.0.0.1:15701,127.0.0.1:15702 [--host 127.0.0.1] [--backup-count 1]
 * </pre>
 *
 * <p>Programmatic config only (no {@code hazelcast.xml} is read): the given cluster name, the one
 * port with auto-increment off, bound to {@code --host} only, TCP-IP join with {@code --members},
 * multicast and auto-detection off, phone-home off, Jet and persistence off, and the join and
 * failure-detection timings of ringcache's own members ({@link #MEMBERSHIP_PROPERTIES}). Every map ({@code
 * default} config) keeps {@code --backup-count} synchronous backups in BINARY format.
 *
 * <p>Output, one line each, for the launcher: {@value #READY} once the member has started and
 * joined, then {@value #MEMBERS} at every membership change, both with the member count. SIGTERM
 * shuts the member down gracefully ({@link HazelcastInstance#shutdown()}: its partitions migrate
 * to the others first), prints {@value #STOPPED}, and the JVM exits with 143.
 */
public final class HazelcastMemberMain {

  /** Prefix of the line printed once the member has joined: {@code ... members=N address=h:p}. */
  public static final String READY = "hazelcast-member ready";
  /** Printed when a SIGTERM's graceful shutdown has finished. */
  public static final String STOPPED = "hazelcast-member stopped";
  /** Prefix of the line printed at each membership change: {@code ... members=N}. */
  public static final String MEMBERS = "hazelcast-member members";

  /**
   * Join, failure-detection and merge timings: the ones ringcache's nodes give their own Hazelcast
   * ({@code io.ringcache.node.cluster.ClusterBootstrap.DEFAULT_PROPERTIES}; copied, as this module
   * must not use cache-node's classes), so both systems notice a crash or a split equally fast.
   */
  static final Map<String, String> MEMBERSHIP_PROPERTIES = Map.of(
      "hazelcast.wait.seconds.before.join", "0",
      "hazelcast.max.wait.seconds.before.join", "5",
      "hazelcast.heartbeat.interval.seconds", "1",
      "hazelcast.max.no.heartbeat.seconds", "10",
      "hazelcast.merge.first.run.delay.seconds", "10",
      "hazelcast.merge.next.run.delay.seconds", "10",
      "hazelcast.socket.bind.any", "false",
      "hazelcast.logging.type", "jdk");

  static final Set<String> FLAGS =
      Set.of("--name", "--cluster-name", "--host", "--port", "--members", "--backup-count");

  private HazelcastMemberMain() {}

  public static void main(String[] args) {
    Map<String, String> flags;
    try {
      flags = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println("usage: HazelcastMemberMain --name N --cluster-name C --port P "
          + "--members h:p,h:p [--host 127.0.0.1] [--backup-count 1]");
      System.exit(2);
      return;
    }
    Config config = config(flags);
    HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
    // Registered before the ready line, so a SIGTERM sent on seeing it finds the hook in place.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      long begin = System.nanoTime();
      member.shutdown();
      System.out.println(STOPPED + " in " + (System.nanoTime() - begin) / 1_000_000 + " ms");
      System.out.flush();
    }, "hazelcast-member-shutdown"));
    // Lines print under one lock with the member list as it is at that moment, so the last line
    // printed always carries the current count, whichever thread printed it.
    Object output = new Object();
    member.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        report();
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        report();
      }

      private void report() {
        synchronized (output) {
          System.out.println(MEMBERS + "=" + member.getCluster().getMembers().size());
          System.out.flush();
        }
      }
    });
    synchronized (output) {
      System.out.println(READY + " members=" + member.getCluster().getMembers().size()
          + " address=" + flags.get("--host") + ":" + flags.get("--port"));
      System.out.flush();
    }
    // The member's non-daemon threads keep the JVM up after main returns, until SIGTERM.
  }

  /** The member config these flags describe; {@code flags} as {@link #parse} returns them. */
  static Config config(Map<String, String> flags) {
    String host = flags.get("--host");
    Config config = new Config();
    config.setClusterName(flags.get("--cluster-name"));
    config.setInstanceName(flags.get("--name"));
    MEMBERSHIP_PROPERTIES.forEach(config::setProperty);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // main's own hook shuts down gracefully and says so; JUL drops log lines written in hooks.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(Integer.parseInt(flags.get("--port"))).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface(host);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true)
        .setMembers(Arrays.asList(flags.get("--members").split(",")));
    config.getJetConfig().setEnabled(false);
    config.getPersistenceConfig().setEnabled(false);
    config.addMapConfig(new MapConfig("default")
        .setBackupCount(Integer.parseInt(flags.get("--backup-count")))
        .setAsyncBackupCount(0)
        .setInMemoryFormat(InMemoryFormat.BINARY));
    return config;
  }

  /**
   * Flags to values, with defaults for {@code --host} (127.0.0.1) and {@code --backup-count} (1).
   *
   * @throws IllegalArgumentException naming the first unknown, repeated, missing or malformed flag
   */
  static Map<String, String> parse(String[] args) {
    Map<String, String> flags = new HashMap<>();
    flags.put("--host", "127.0.0.1");
    flags.put("--backup-count", "1");
    List<String> given = new ArrayList<>();
    for (int i = 0; i < args.length; i += 2) {
      String flag = args[i];
      if (!FLAGS.contains(flag)) {
        throw new IllegalArgumentException("unknown flag '" + flag + "'; known: " + FLAGS);
      }
      if (given.contains(flag)) {
        throw new IllegalArgumentException("flag " + flag + " given twice");
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("flag " + flag + " needs a value");
      }
      given.add(flag);
      flags.put(flag, args[i + 1]);
    }
    for (String required : List.of("--name", "--cluster-name", "--port", "--members")) {
      if (!given.contains(required)) {
        throw new IllegalArgumentException("missing flag " + required);
      }
    }
    int port = integer(flags, "--port");
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("--port must be within 1..65535, was " + port);
    }
    int backups = integer(flags, "--backup-count");
    if (backups < 0 || backups > 6) {
      throw new IllegalArgumentException("--backup-count must be within 0..6, was " + backups);
    }
    for (String member : flags.get("--members").split(",")) {
      HostPort.parse("--members entry", member);
    }
    return flags;
  }

  private static int integer(Map<String, String> flags, String flag) {
    try {
      return Integer.parseInt(flags.get(flag));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be an integer, was '" + flags.get(flag) + "'");
    }
  }
}
