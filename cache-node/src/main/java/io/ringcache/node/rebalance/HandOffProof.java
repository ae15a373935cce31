package io.ringcache.node.rebalance;

import io.ringcache.protocol.PositionRange;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.ringcache.ring.RingDiff;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a draining node proved about its hand-off at one TRANSFER epoch: for each range it sent
 * and each node it sent it to, its own digest of the range (what it sent, plus the writes since,
 * which the target received too because writes go to both rings during TRANSFER) and the
 * target's. Proven when every pair is equal.
 *
 * @param items one per (target, range), in the order compared
 * @param repaired entries the comparisons had to repair, both ways, before the digests matched
 * @param attempts how many times the unmatched items were compared (1: all matched at once)
 */
public record HandOffProof(long epoch, List<Item> items, long repaired, long millis,
    int attempts) {

  public HandOffProof {
    items = List.copyOf(items);
  }

  /**
   * One range and one target: {@code entries} and {@code sum} this node's digest of it, {@code
   * targetEntries} and {@code targetSum} the target's ({@code targetEntries} -1 when the target
   * could not be compared, {@code error} then says why). {@code unsupported}: the target answered
   * UNKNOWN_OP, a release without range digests (a rolling upgrade); it cannot be proven and does
   * not hold the drain. {@code settledByExchange}: the digests still differed, but both sides
   * listed the same live entries for every slice that differed (the difference is expired
   * entries not swept yet).
   */
  public record Item(String target, PositionRange range, long entries, long sum,
      long targetEntries, long targetSum, String error, boolean unsupported,
      boolean settledByExchange) {
    public Item(String target, PositionRange range, long entries, long sum, long targetEntries,
        long targetSum, String error, boolean unsupported) {
      this(target, range, entries, sum, targetEntries, targetSum, error, unsupported, false);
    }

    public boolean matched() {
      return error.isEmpty()
          && (settledByExchange || (entries == targetEntries && sum == targetSum));
    }
  }

  /** No ranges handed off: nothing to prove. */
  public static HandOffProof empty(long epoch) {
    return new HandOffProof(epoch, List.of(), 0, 0, 1);
  }

  /**
   * The ranges this node sent in {@code t}, by target: the targets {@code changes} ({@code
   * RangeTransfer.outgoing}) add, DOWN ones left out as the transfer leaves them out.
   */
  public static Map<String, List<PositionRange>> handedOff(Topology t,
      List<RingDiff.Change> changes) {
    Map<String, List<PositionRange>> out = new LinkedHashMap<>();
    for (RingDiff.Change c : changes) {
      for (Member target : c.gained()) {
        if (!t.isDown(target.name())) {
          out.computeIfAbsent(target.name(), n -> new ArrayList<>())
              .addAll(PositionRange.ofRing(c.start(), c.end()));
        }
      }
    }
    return out;
  }

  /** Whether every item matched, or could not be compared for the target's release. */
  public boolean proven() {
    return items.stream().allMatch(i -> i.matched() || i.unsupported());
  }

  /** The items not matched, by target: what a retry compares again. */
  public Map<String, List<PositionRange>> unmatched() {
    Map<String, List<PositionRange>> out = new LinkedHashMap<>();
    for (Item i : items) {
      if (!i.matched() && !i.unsupported()) {
        out.computeIfAbsent(i.target(), n -> new ArrayList<>()).add(i.range());
      }
    }
    return out;
  }

  /** This proof with {@code retry}'s items in place of the ones it compared again. */
  public HandOffProof with(HandOffProof retry) {
    Map<String, Item> latest = new LinkedHashMap<>();
    for (Item i : retry.items) {
      latest.put(i.target() + "|" + i.range(), i);
    }
    List<Item> merged = new ArrayList<>(items.size());
    for (Item i : items) {
      merged.add(latest.getOrDefault(i.target() + "|" + i.range(), i));
    }
    return new HandOffProof(epoch, merged, repaired + retry.repaired, millis + retry.millis,
        attempts + 1);
  }

  /** Distinct ranges handed off (a range sent to two targets counts once). */
  public int ranges() {
    return distinct().size();
  }

  /** Entries this node held in the ranges handed off, each range counted once. */
  public long entries() {
    long n = 0;
    for (Item i : distinct().values()) {
      n += i.entries();
    }
    return n;
  }

  /** The sum of this node's digests over the ranges handed off, each range once, in hex. */
  public String digest() {
    long sum = 0;
    for (Item i : distinct().values()) {
      sum += i.sum();
    }
    return String.format("%016x", sum);
  }

  public long matchedItems() {
    return items.stream().filter(Item::matched).count();
  }

  private Map<PositionRange, Item> distinct() {
    Map<PositionRange, Item> byRange = new LinkedHashMap<>();
    for (Item i : items) {
      byRange.putIfAbsent(i.range(), i);
    }
    return byRange;
  }

  /** For {@code /v1/stats}, {@code /v1/topology} and the log: totals, then one line per target. */
  public JsonObject json() {
    Set<String> targets = new LinkedHashSet<>();
    items.forEach(i -> targets.add(i.target()));
    JsonArray perTarget = new JsonArray();
    for (String target : targets) {
      long ranges = 0;
      long matched = 0;
      long entries = 0;
      long sum = 0;
      long targetSum = 0;
      String error = "";
      for (Item i : items) {
        if (i.target().equals(target)) {
          ranges++;
          matched += i.matched() ? 1 : 0;
          entries += i.entries();
          sum += i.sum();
          targetSum += i.targetSum();
          error = error.isEmpty() ? i.error() : error;
        }
      }
      JsonObject t = new JsonObject().put("node", target).put("ranges", ranges)
          .put("rangesMatched", matched).put("entries", entries)
          .put("digest", String.format("%016x", sum))
          .put("targetDigest", String.format("%016x", targetSum));
      if (!error.isEmpty()) {
        t.put("error", error);
      }
      perTarget.add(t);
    }
    return new JsonObject()
        .put("epoch", epoch)
        .put("status", !proven() ? "UNPROVEN"
            : items.stream().allMatch(Item::matched) ? "PROVEN" : "PARTIAL")
        .put("ranges", ranges())
        .put("rangeTargets", items.size())
        .put("rangeTargetsMatched", matchedItems())
        .put("entries", entries())
        .put("digest", digest())
        .put("entriesRepaired", repaired)
        .put("attempts", attempts)
        .put("millis", millis)
        .put("targets", perTarget);
  }
}
