package io.ringcache.node.bench;

import java.util.Locale;

/**
 * What one rebalance scenario measured. Times are milliseconds from the moment the change was
 * made ({@code startNode()}, {@code drain()}, {@code crash()}); entries and bytes are sums over
 * the nodes' {@code rebalance.outgoingEntriesSent} and {@code outgoingBytesSent} (key plus value
 * bytes of each REPLICATE).
 *
 * @param scenario scenario name, e.g. "join"
 * @param keys keys written before the change
 * @param copies keys times the replication factor
 * @param wallMillis change to every node installing the final STABLE epoch
 * @param toTransferMillis change to the first installation of the TRANSFER epoch
 * @param transferMillis first installation of TRANSFER to the first installation of SWITCH
 * @param streamMillis longest {@code rebalance.transferMillis} of any node (its own streaming)
 * @param transferEpochs TRANSFER epochs seen; more than one means a rebalance restarted
 * @param failedTransfers transfer attempts that failed and were retried a second later
 * @param entries entries sent by all nodes in the last TRANSFER epoch
 * @param bytes bytes sent by all nodes in the last TRANSFER epoch
 * @param ringMinimum copies the ring change requires: per key, owners after minus owners before
 * @param theoryMinimum copies an ideal ring would move: RF x keys / nodes of the larger cluster
 * @param bytesPerSecondLimit configured {@code transferBytesPerSecond}, 0 = unlimited
 * @param paceTargetMillis the slowest node's bytes divided by the limit (0 when unlimited)
 * @param fastestNodeBytesPerSecond highest bytes / transferMillis of any sending node
 * @param copiesHeld store entries summed over the remaining nodes once unowned ones are dropped
 */
record RebalanceResult(String scenario, int keys, long copies, long wallMillis,
    long toTransferMillis, long transferMillis, long streamMillis, long transferEpochs,
    long failedTransfers, long entries, long bytes, long ringMinimum, long theoryMinimum,
    long bytesPerSecondLimit, long paceTargetMillis, long fastestNodeBytesPerSecond,
    long copiesHeld) {

  static final int FIELDS = 18;

  String tsv(int run) {
    return String.join("\t", String.valueOf(run), scenario, String.valueOf(keys),
        String.valueOf(copies), String.valueOf(wallMillis), String.valueOf(toTransferMillis),
        String.valueOf(transferMillis), String.valueOf(streamMillis),
        String.valueOf(transferEpochs), String.valueOf(failedTransfers),
        String.valueOf(entries), String.valueOf(bytes),
        String.valueOf(ringMinimum), String.valueOf(theoryMinimum),
        String.valueOf(bytesPerSecondLimit), String.valueOf(paceTargetMillis),
        String.valueOf(fastestNodeBytesPerSecond), String.valueOf(copiesHeld));
  }

  static RebalanceResult parse(String line) {
    String[] f = line.split("\t");
    if (f.length != FIELDS) {
      throw new IllegalArgumentException(
          "result line has " + f.length + " fields, expected " + FIELDS + ": " + line);
    }
    return new RebalanceResult(f[1], Integer.parseInt(f[2]), Long.parseLong(f[3]),
        Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]),
        Long.parseLong(f[8]), Long.parseLong(f[9]), Long.parseLong(f[10]),
        Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]),
        Long.parseLong(f[14]), Long.parseLong(f[15]), Long.parseLong(f[16]),
        Long.parseLong(f[17]));
  }

  double entriesPerSecond() {
    return transferMillis == 0 ? 0 : entries * 1000.0 / transferMillis;
  }

  /** Decimal megabytes (10^6 bytes) per second over the TRANSFER phase. */
  double megabytesPerSecond() {
    return transferMillis == 0 ? 0 : bytes / 1000.0 / transferMillis;
  }

  String line() {
    return String.format(Locale.ROOT, "# %s: wall %d ms (TRANSFER after %d ms, lasting %d ms,"
            + " longest node stream %d ms, %d TRANSFER epoch(s), %d failed attempt(s));"
            + " moved %,d entries / %,d bytes"
            + " (ring minimum %,d, ideal %,d, of %,d copies); %.0f entries/s, %.1f MB/s;"
            + " limit %d B/s, pace target %d ms, fastest node %.2f MB/s; %,d copies held after",
        scenario, wallMillis, toTransferMillis, transferMillis, streamMillis, transferEpochs,
        failedTransfers, entries, bytes, ringMinimum, theoryMinimum, copies, entriesPerSecond(),
        megabytesPerSecond(), bytesPerSecondLimit, paceTargetMillis,
        fastestNodeBytesPerSecond / 1e6, copiesHeld);
  }
}
