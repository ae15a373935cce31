package io.ringcache.node.resp;

import io.ringcache.node.store.StoreStats;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Commands about the server: COMMAND (enough for redis-cli's hints and client libraries'
 * discovery), INFO, CONFIG GET, DBSIZE and TIME.
 *
 * <p>The endpoint presents itself as a Redis {@value #REDIS_VERSION} server in standalone mode:
 * clients pick their command set from that version, and "standalone" keeps cluster-aware
 * clients from asking for slots; the node routes every key itself. INFO and DBSIZE describe the
 * node the client is connected to, not the cluster: {@code db0:keys} and DBSIZE count the
 * entries in this node's store, which holds replicas as well as primaries and, until they are
 * swept, deletes' tombstones and expired entries.
 */
final class ServerCommands {

  /** The Redis release whose command semantics this endpoint follows. */
  static final String REDIS_VERSION = "7.2.0";
  private static final List<String> SECTIONS =
      List.of("server", "clients", "memory", "stats", "replication", "keyspace");

  private final RespNode node;
  private final CommandTable table;

  ServerCommands(RespNode node, CommandTable table) {
    this.node = node;
    this.table = table;
  }

  void register(CommandTable t) {
    t.add("command", -1, "loading stale", 0, 0, 0, "server",
        "Returns detailed information about all commands (COUNT, DOCS, INFO, LIST).",
        (s, a) -> CommandTable.done(command(a)));
    t.add("info", -1, "loading stale", 0, 0, 0, "server",
        "Returns information and statistics about the server.",
        (s, a) -> CommandTable.done(info(s, a)));
    t.add("config", -2, "admin loading stale", 0, 0, 0, "server",
        "A container for server configuration commands (GET only).",
        (s, a) -> CommandTable.done(config(a)));
    t.add("dbsize", 1, "readonly fast", 0, 0, 0, "server",
        "Returns the number of keys in this node's store.",
        (s, a) -> CommandTable.done(RespReply.integer(node.store().get().entries())));
    t.add("time", 1, "loading stale fast", 0, 0, 0, "server", "Returns the server time.",
        (s, a) -> {
          Instant now = Instant.now();
          return CommandTable.done(new RespReply.Array(List.of(
              RespReply.bulk(Long.toString(now.getEpochSecond())),
              RespReply.bulk(Long.toString(now.getNano() / 1000)))));
        });
  }

  // ------------------------------------------------------------------ COMMAND

  private RespReply command(List<byte[]> a) {
    if (a.size() == 1) {
      return new RespReply.Array(table.all().stream().map(ServerCommands::info).toList());
    }
    String sub = Args.upper(a.get(1));
    switch (sub) {
      case "COUNT":
        return RespReply.integer(table.all().size());
      case "LIST":
        return new RespReply.Array(
            table.all().stream().map(c -> RespReply.bulk(c.name())).toList());
      case "INFO": {
        if (a.size() == 2) {
          return new RespReply.Array(table.all().stream().map(ServerCommands::info).toList());
        }
        List<RespReply> out = new ArrayList<>();
        for (int i = 2; i < a.size(); i++) {
          CommandTable.Spec spec = table.find(a.get(i));
          out.add(spec == null ? RespReply.NIL : info(spec));
        }
        return new RespReply.Array(out);
      }
      case "DOCS": {
        List<RespReply> out = new ArrayList<>();
        if (a.size() == 2) {
          table.all().forEach(spec -> {
            out.add(RespReply.bulk(spec.name()));
            out.add(docs(spec));
          });
        }
        for (int i = 2; i < a.size(); i++) {
          CommandTable.Spec spec = table.find(a.get(i));
          if (spec != null) {
            out.add(RespReply.bulk(spec.name()));
            out.add(docs(spec));
          }
        }
        return new RespReply.Map(out);
      }
      default:
        return RespReply.error("ERR unknown subcommand '" + Args.text(a.get(1))
            + "'. Try COMMAND HELP.");
    }
  }

  /** One COMMAND INFO entry, in Redis 7's ten-field form. */
  private static RespReply info(CommandTable.Spec c) {
    return new RespReply.Array(List.of(
        RespReply.bulk(c.name()),
        RespReply.integer(c.arity()),
        new RespReply.Array(c.flags().stream().<RespReply>map(RespReply.Simple::new).toList()),
        RespReply.integer(c.firstKey()),
        RespReply.integer(c.lastKey()),
        RespReply.integer(c.step()),
        new RespReply.Array(List.of(new RespReply.Simple("@" + c.group()))),
        new RespReply.Array(List.of()),
        new RespReply.Array(List.of()),
        new RespReply.Array(List.of())));
  }

  private static RespReply docs(CommandTable.Spec c) {
    return new RespReply.Map(List.of(
        RespReply.bulk("summary"), RespReply.bulk(c.summary()),
        RespReply.bulk("since"), RespReply.bulk("1.0.0"),
        RespReply.bulk("group"), RespReply.bulk(c.group())));
  }

  // ------------------------------------------------------------------ INFO

  private RespReply info(Session s, List<byte[]> a) {
    Set<String> wanted = new HashSet<>();
    for (int i = 1; i < a.size(); i++) {
      wanted.add(Args.text(a.get(i)).toLowerCase(Locale.ROOT));
    }
    boolean all = wanted.isEmpty() || wanted.contains("all") || wanted.contains("default")
        || wanted.contains("everything");
    StringBuilder out = new StringBuilder();
    for (String section : SECTIONS) {
      if (all || wanted.contains(section)) {
        if (out.length() > 0) {
          out.append("\r\n");
        }
        out.append("# ").append(Character.toUpperCase(section.charAt(0)))
            .append(section.substring(1)).append("\r\n");
        section(section, out);
      }
    }
    return RespReply.bulk(out.toString());
  }

  private void section(String name, StringBuilder out) {
    StoreStats store = node.store().get();
    Map<String, Object> fields = new LinkedHashMap<>();
    switch (name) {
      case "server" -> {
        fields.put("redis_version", REDIS_VERSION);
        fields.put("redis_mode", "standalone");
        fields.put("ringcache_node", node.settings().nodeName());
        fields.put("ringcache_topology_epoch", node.epoch().getAsLong());
        fields.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        fields.put("arch_bits", 64);
        fields.put("process_id", ProcessHandle.current().pid());
        fields.put("tcp_port", node.settings().respPort());
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime() / 1000;
        fields.put("uptime_in_seconds", uptime);
        fields.put("uptime_in_days", uptime / 86_400);
      }
      case "clients" -> fields.put("connected_clients", node.openConnections().getAsInt());
      case "memory" -> {
        fields.put("used_memory", store.weightedBytes());
        fields.put("maxmemory", store.maxBytes());
        fields.put("maxmemory_policy", "allkeys-lfu");
      }
      case "stats" -> {
        fields.put("keyspace_hits", store.hits());
        fields.put("keyspace_misses", store.misses());
        fields.put("expired_keys", store.expirations());
        fields.put("evicted_keys", store.evictions());
      }
      case "replication" -> {
        fields.put("role", "master");
        fields.put("connected_slaves", 0);
      }
      case "keyspace" -> {
        if (store.entries() > 0) {
          fields.put("db0", "keys=" + store.entries() + ",expires=0,avg_ttl=0");
        }
      }
      default -> throw new IllegalArgumentException("no INFO section " + name);
    }
    fields.forEach((k, v) -> out.append(k).append(':').append(v).append("\r\n"));
  }

  // ------------------------------------------------------------------ CONFIG

  private RespReply config(List<byte[]> a) {
    String sub = Args.upper(a.get(1));
    if (sub.equals("SET") || sub.equals("RESETSTAT") || sub.equals("REWRITE")) {
      return RespReply.error("ERR CONFIG " + sub + " is not supported: a ringcache node reads its"
          + " settings at start (docs/configuration.md)");
    }
    if (!sub.equals("GET")) {
      return RespReply.error("ERR unknown subcommand '" + Args.text(a.get(1))
          + "'. Try CONFIG HELP.");
    }
    if (a.size() < 3) {
      return Args.wrongArgs("config|get").reply();
    }
    Map<String, String> params = parameters();
    List<RespReply> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 2; i < a.size(); i++) {
      Pattern glob = glob(Args.text(a.get(i)).toLowerCase(Locale.ROOT));
      params.forEach((k, v) -> {
        if (glob.matcher(k).matches() && seen.add(k)) {
          out.add(RespReply.bulk(k));
          out.add(RespReply.bulk(v));
        }
      });
    }
    return new RespReply.Map(out);
  }

  private Map<String, String> parameters() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("port", Integer.toString(node.settings().respPort()));
    p.put("bind", node.settings().host());
    p.put("databases", "1");
    p.put("maxclients", Integer.toString(node.settings().maxConnections()));
    p.put("maxmemory", Long.toString(node.store().get().maxBytes()));
    p.put("maxmemory-policy", "allkeys-lfu");
    p.put("timeout", Long.toString(node.settings().connections().idleTimeoutMillis() / 1000));
    p.put("proto-max-bulk-len", Integer.toString(node.settings().limits().maxValueBytes()));
    p.put("appendonly", "no");
    p.put("save", "");
    return p;
  }

  /** Redis's glob-style pattern ({@code *}, {@code ?}, {@code [...]}) as a regex. */
  private static Pattern glob(String pattern) {
    StringBuilder re = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        case '[', ']' -> re.append(c);
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    try {
      return Pattern.compile(re.toString());
    } catch (PatternSyntaxException e) {
      return Pattern.compile(Pattern.quote(pattern));
    }
  }
}
