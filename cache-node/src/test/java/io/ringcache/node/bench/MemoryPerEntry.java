package io.ringcache.node.bench;

import io.ringcache.node.store.HybridClock;
import io.ringcache.node.store.LocalStore;
import io.ringcache.protocol.SetMode;
import io.ringcache.node.store.StoreConfig;
import io.ringcache.node.store.StoreKey;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * Heap bytes per stored entry: live heap after a full collection with {@code --entries} entries
 * in one {@link LocalStore}, minus the live heap before, divided by the entries. Keys are
 * {@code key:} and eight digits (12 bytes), values {@code --value-bytes} bytes, no TTL: the
 * layout {@code bin/memory-bench} loads into Redis too. Prints one line of figures, among them
 * the store's own weighted size per entry, so the weigher can be compared with the heap.
 *
 * <p>A benchmark, not a test: run it with a serial collector and a heap large enough that the
 * collections it asks for are full ones ({@code -XX:+UseSerialGC -Xmx2g}).
 */
public final class MemoryPerEntry {

  private MemoryPerEntry() {}

  public static void main(String[] args) {
    int entries = 1_000_000;
    int valueBytes = 100;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--entries" -> entries = Integer.parseInt(args[i + 1]);
        case "--value-bytes" -> valueBytes = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + "; known: --entries N, --value-bytes N");
      }
    }
    long before = liveHeap();
    LocalStore store = LocalStore.create(
        new StoreConfig(Long.MAX_VALUE / 4, Duration.ofSeconds(60), Duration.ofMillis(500)),
        HybridClock.forNode("memory-bench"));
    byte[] value = new byte[valueBytes];
    Arrays.fill(value, (byte) 'v');
    for (int i = 0; i < entries; i++) {
      byte[] key = String.format(Locale.ROOT, "key:%08d", i).getBytes(StandardCharsets.US_ASCII);
      // Each entry gets its own value array, as entries decoded from requests do.
      store.set(StoreKey.wrap(key), value.clone(), 0, SetMode.ALWAYS);
    }
    store.cleanUp();
    long after = liveHeap();
    long size = store.size();
    System.out.printf(Locale.ROOT,
        "entries %d, key 12 B, value %d B: live heap %.1f MB, %.1f B per entry (%.1f B beyond"
            + " key and value bytes); weigher %.1f B per entry%n",
        size, valueBytes, (after - before) / 1e6, (after - before) / (double) size,
        (after - before) / (double) size - 12 - valueBytes,
        store.stats().weightedBytes() / (double) size);
    if (store.size() != entries) {
      throw new IllegalStateException("stored " + size + " of " + entries + " entries");
    }
  }

  /** Heap in use after repeated collections, once it stops shrinking. */
  private static long liveHeap() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long last = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      long used = memory.getHeapMemoryUsage().getUsed();
      if (used >= last) {
        return used;
      }
      last = used;
    }
    return last;
  }
}
