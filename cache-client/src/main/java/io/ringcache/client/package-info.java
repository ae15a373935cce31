/**
 * The ringcache smart client.
 *
 * <p>Public face: {@link io.ringcache.client.CacheClient} (built by
 * {@link io.ringcache.client.CacheClient#builder()}), the per-type views
 * {@link io.ringcache.client.AsyncRingCache} and {@link io.ringcache.client.BlockingCache},
 * {@link io.ringcache.client.ValueCodec}, {@link io.ringcache.client.Versioned}, the cluster view
 * {@link io.ringcache.client.ClusterTopology} and the {@link io.ringcache.client.CacheException}
 * family with its {@link io.ringcache.client.FailureStatus}. Everything else in this package is
 * package-private: the routing table ({@code Router}), the pipelined connections
 * ({@code Connection}, {@code NodeChannel}) and the retrying calls ({@code SingleCall},
 * {@code BulkCall}). No Vert.x, protocol or ring type appears in the public API; the client owns
 * its own Vert.x instance. The jar's module name is {@code io.ringcache.client} (an
 * {@code Automatic-Module-Name}); see {@code docs/client.md}, "Module".
 */
package io.ringcache.client;
