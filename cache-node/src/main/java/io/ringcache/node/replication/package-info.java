/**
 * Replicas that prove they agree: anti-entropy between the owners of a range by range digests
 * ({@link io.ringcache.node.replication.AntiEntropy}), one comparison with one peer per {@link
 * io.ringcache.node.replication.RangeComparison}, and the proof a drain gives of its hand-off.
 * The answering half of the wire exchange is {@code node.server.RangeRepairPath}; the digests
 * themselves are the store's ({@link io.ringcache.node.store.DigestSlices}).
 */
package io.ringcache.node.replication;
