package io.ringcache.node.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.ringcache.node.caches.CacheServices;
import io.ringcache.node.server.NodeStats;
import java.util.concurrent.atomic.LongAdder;

/**
 * Named caches and their entry events: how many caches this node knows, live subscriptions,
 * events written to subscribers, and subscribers disconnected for falling behind (the bound of
 * {@code docs/caches.md}). Counts only: never a cache name or key as a label.
 */
final class CacheMeters implements MeterBinder {

  private final CacheServices caches;
  private final NodeStats stats;

  CacheMeters(CacheServices caches, NodeStats stats) {
    this.caches = caches;
    this.stats = stats;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("ringcache.caches", caches, c -> c.registry.list().size())
        .description("Named caches this node knows, the default cache included")
        .register(registry);
    Gauge.builder("ringcache.event.subscriptions", caches, c -> c.events.subscriptions())
        .description("Entry-event subscriptions held by this node's connections")
        .register(registry);
    FunctionCounter.builder("ringcache.events.sent", stats.eventsSent, LongAdder::sum)
        .description("Entry events written to subscribers' connections")
        .register(registry);
    FunctionCounter.builder("ringcache.leases.granted", caches.leases.granted, LongAdder::sum)
        .description("Load leases granted (single-flight loading: one loader per key at a time)")
        .register(registry);
    FunctionCounter.builder("ringcache.leases.takeovers", caches.leases.takeovers,
            LongAdder::sum)
        .description("Load leases granted after the previous holder's lease ran out (it died or"
            + " hung)")
        .register(registry);
    FunctionCounter.builder("ringcache.leases.waits", caches.leases.waits, LongAdder::sum)
        .description("Lease requests that found another caller loading and waited for its value")
        .register(registry);
    Gauge.builder("ringcache.hot.keys", caches, c -> c.hotKeys.hot().size())
        .description("Keys that took at least 1% of this node's sampled requests in the last"
            + " second (counts only: the keys are in /v1/stats)")
        .register(registry);
    Gauge.builder("ringcache.hot.key.share", caches,
            c -> c.hotKeys.top().isEmpty() ? 0 : c.hotKeys.top().get(0).share())
        .description("Share of this node's sampled requests that went to its most requested key"
            + " in the last second")
        .register(registry);
    Gauge.builder("ringcache.leases.held", caches, c -> c.leases.size())
        .description("Keys leased for loading on this node now")
        .register(registry);
    FunctionCounter.builder("ringcache.event.subscribers.dropped",
            stats.eventSubscribersDropped, LongAdder::sum)
        .description("Subscriber connections closed for having more than 16 MiB of events"
            + " queued (told with a MISSED event first)")
        .register(registry);
  }
}
