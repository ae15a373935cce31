/**
 * The node's local store: a byte-bounded Caffeine map of versioned entries with per-entry TTL and
 * tombstones ({@link io.ringcache.node.store.LocalStore}), the hybrid logical clock that versions
 * writes ({@link io.ringcache.node.store.HybridClock}), and the value types that cross its
 * boundary. Implementation classes are package-private.
 */
package io.ringcache.node.store;
