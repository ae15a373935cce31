package io.ringcache.jcache;

import io.ringcache.client.NamedCache;
import java.util.function.Supplier;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;

/**
 * Asks the cache's {@link ExpiryPolicy} and turns its answer into a ringcache TTL argument.
 *
 * <p>Design (JSR-107 "PolicyExpiry Policies"): creation, update and access each ask their own
 * method, once per affected entry, and only when the operation does that to an entry. The answer
 * becomes a TTL in milliseconds: 0 for none ({@link Duration#ETERNAL}), {@link #EXPIRE_NOW} for
 * {@link Duration#ZERO} (the caller then does not store, or removes as expired),
 * {@link NamedCache#KEEP_TTL} when an update or access returns null ("leave it"). A policy that
 * throws is treated as the spec's RI does: eternal for creation, unchanged otherwise.
 */
final class PolicyExpiry {

  /** TTL argument meaning "the entry is expired at once". */
  static final long EXPIRE_NOW = -2;

  private final ExpiryPolicy policy;

  PolicyExpiry(ExpiryPolicy policy) {
    this.policy = policy;
  }

  ExpiryPolicy policy() {
    return policy;
  }

  /** True when no operation can give an entry a TTL: puts may skip reading first. */
  boolean eternal() {
    return policy instanceof EternalExpiryPolicy;
  }

  long forCreation() {
    Duration d = ask(policy::getExpiryForCreation);
    return d == null ? 0 : ttl(d);
  }

  long forUpdate() {
    Duration d = ask(policy::getExpiryForUpdate);
    return d == null ? NamedCache.KEEP_TTL : ttl(d);
  }

  long forAccess() {
    Duration d = ask(policy::getExpiryForAccess);
    return d == null ? NamedCache.KEEP_TTL : ttl(d);
  }

  private static Duration ask(Supplier<Duration> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return null;
    }
  }

  static long ttl(Duration d) {
    if (d.isEternal()) {
      return 0;
    }
    if (d.isZero()) {
      return EXPIRE_NOW;
    }
    return Math.max(1, d.getTimeUnit().toMillis(d.getDurationAmount()));
  }

  /** The client's {@code getAndTouch} form of a positive or zero (none) TTL. */
  static java.time.Duration touchDuration(long ttlMillis) {
    return ttlMillis == 0 ? java.time.Duration.ZERO : java.time.Duration.ofMillis(ttlMillis);
  }
}
