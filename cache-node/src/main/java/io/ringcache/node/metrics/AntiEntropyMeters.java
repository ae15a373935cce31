package io.ringcache.node.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.ringcache.node.replication.AntiEntropyStats;
import io.ringcache.node.store.LocalStore;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code ringcache.anti.entropy.*} meters: rounds, ranges compared, mismatches, entries
 * repaired and bytes, read from {@link AntiEntropyStats} at scrape time, and the number of store
 * slices with a key index.
 */
final class AntiEntropyMeters implements MeterBinder {

  private final AntiEntropyStats stats;
  private final LocalStore store;

  AntiEntropyMeters(AntiEntropyStats stats, LocalStore store) {
    this.stats = stats;
    this.store = store;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    counter(registry, "ringcache.anti.entropy.rounds", stats.rounds, null,
        "Anti-entropy rounds run, periodic and on demand (skipped ones not counted)");
    counter(registry, "ringcache.anti.entropy.failures", stats.failures, null,
        "Comparisons with one peer that failed: no answer in time, peer gone, epoch changed");
    counter(registry, "ringcache.anti.entropy.ranges.compared", stats.rangesCompared, null,
        "Ranges whose digests this node compared with another owner's (before narrowing)");
    counter(registry, "ringcache.anti.entropy.mismatches", stats.mismatches, null,
        "Narrowed ranges (a slice or the piece of one) whose digests still differed when the"
            + " repair began");
    counter(registry, "ringcache.anti.entropy.entries.repaired", stats.entriesRepaired, null,
        "Entries a repair stored here or had another owner store");
    counter(registry, "ringcache.anti.entropy.bytes", stats.bytesSent, "sent",
        "Frame bytes of anti-entropy digests, repair lists and pushed entries");
    counter(registry, "ringcache.anti.entropy.bytes", stats.bytesReceived, "received",
        "Frame bytes of anti-entropy digests, repair lists and pushed entries");
    Gauge.builder("ringcache.store.indexed.slices", store, LocalStore::indexedSlices)
        .description("Digest slices whose keys are indexed (ring-range ends, slices under"
            + " repair)")
        .register(registry);
  }

  private static void counter(MeterRegistry registry, String name, LongAdder adder,
      String direction, String description) {
    FunctionCounter.Builder<LongAdder> b =
        FunctionCounter.builder(name, adder, LongAdder::sum).description(description);
    if (direction != null) {
      b.tag("direction", direction);
    }
    b.register(registry);
  }
}
