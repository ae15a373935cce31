package io.ringcache.node.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Command-line settings of {@link NodeLoad}, validated when parsed so that a typo fails before
 * any connection is opened.
 *
 * @param seedHost host of the node asked for the topology (loopback only)
 * @param seedPort binary-protocol port of that node
 * @param target label of the target in the result table, e.g. "3 nodes"
 * @param expectNodes ring members to wait for before loading; 0 takes the topology as it is
 * @param routing send each key to its primary owner; false sends everything to the seed node
 * @param connections connections to open; 0 means one per node (one in total without routing)
 * @param inFlight requests kept in flight across all connections
 * @param keys size of the key space, written once before the measured phases
 * @param valueBytes size of every value
 * @param warmupSeconds unrecorded load before each measured phase
 * @param measureSeconds recorded load per operation
 * @param maxOpsPerPhase upper bound on requests per phase, whatever the time left
 * @param ops operations to measure, in order
 * @param run run number written to the results file
 * @param resultsFile tab-separated rows appended here when not null
 * @param header print the markdown table header
 */
record LoadOptions(String seedHost, int seedPort, String target, int expectNodes,
    boolean routing, int connections, int inFlight, int keys, int valueBytes,
    int warmupSeconds, int measureSeconds, long maxOpsPerPhase, List<Op> ops, int run,
    String resultsFile, boolean header) {

  /** The measured operations. */
  enum Op { SET, GET }

  static final String USAGE = String.join("\n",
      "usage: NodeLoad --seed HOST:PORT [options]",
      "       NodeLoad --summarize RESULTS.tsv",
      "",
      "  --seed HOST:PORT      binary port of a node; its TOPOLOGY answer picks the targets",
      "  --target LABEL        target name in the table (default: \"<n> node(s)\")",
      "  --expect-nodes N      wait up to 60 s for a stable topology with N members",
      "  --no-routing          send every request to the seed node (exercises forwarding)",
      "  --connections N       connections (default: one per node, one without routing)",
      "  --in-flight K         requests in flight across all connections (default 64)",
      "  --keys N              key space, written before measuring (default 100000)",
      "  --value-bytes N       value size (default 100)",
      "  --warmup S            seconds of unrecorded load per operation (default 5)",
      "  --measure S           seconds of recorded load per operation (default 15)",
      "  --max-ops N           cap on requests per phase (default 50000000)",
      "  --ops LIST            operations in order, from set,get (default set,get)",
      "  --run N               run number for the results file (default 1)",
      "  --results FILE        append tab-separated rows to FILE",
      "  --no-header           print table rows only");

  static LoadOptions parse(String[] args) {
    String seed = null;
    String target = null;
    int expectNodes = 0;
    boolean routing = true;
    int connections = 0;
    int inFlight = 64;
    int keys = 100_000;
    int valueBytes = 100;
    int warmup = 5;
    int measure = 15;
    long maxOps = 50_000_000L;
    List<Op> ops = List.of(Op.SET, Op.GET);
    int run = 1;
    String results = null;
    boolean header = true;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--seed" -> seed = value(args, ++i, a);
        case "--target" -> target = value(args, ++i, a);
        case "--expect-nodes" -> expectNodes = intIn(args, ++i, a, 0, 1000);
        case "--no-routing" -> routing = false;
        case "--connections" -> connections = intIn(args, ++i, a, 1, 1024);
        case "--in-flight" -> inFlight = intIn(args, ++i, a, 1, 65_536);
        case "--keys" -> keys = intIn(args, ++i, a, 1, 100_000_000);
        case "--value-bytes" -> valueBytes = intIn(args, ++i, a, 0, 1 << 20);
        case "--warmup" -> warmup = intIn(args, ++i, a, 0, 3600);
        case "--measure" -> measure = intIn(args, ++i, a, 1, 3600);
        case "--max-ops" -> maxOps = intIn(args, ++i, a, 1, Integer.MAX_VALUE);
        case "--ops" -> ops = ops(value(args, ++i, a));
        case "--run" -> run = intIn(args, ++i, a, 1, 1_000_000);
        case "--results" -> results = value(args, ++i, a);
        case "--no-header" -> header = false;
        default -> throw new IllegalArgumentException("unknown option '" + a + "'");
      }
    }
    if (seed == null) {
      throw new IllegalArgumentException("--seed HOST:PORT is required");
    }
    int colon = seed.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("--seed is '" + seed + "', expected HOST:PORT");
    }
    int port = parseInt(seed.substring(colon + 1), "--seed port", 1, 65_535);
    if (!routing && connections == 0) {
      connections = 1;
    }
    return new LoadOptions(seed.substring(0, colon), port, target, expectNodes, routing,
        connections, inFlight, keys, valueBytes, warmup, measure, maxOps, ops, run, results,
        header);
  }

  private static List<Op> ops(String list) {
    List<Op> out = new ArrayList<>();
    for (String s : list.split(",")) {
      try {
        out.add(Op.valueOf(s.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--ops has '" + s + "', expected set or get");
      }
    }
    return List.copyOf(out);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static int intIn(String[] args, int i, String option, int min, int max) {
    return parseInt(value(args, i, option), option, min, max);
  }

  private static int parseInt(String s, String what, int min, int max) {
    int v;
    try {
      v = Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(String.format("%s is '%s', not a number", what, s));
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException(
          String.format("%s is %d, must be within %d..%d", what, v, min, max));
    }
    return v;
  }
}
