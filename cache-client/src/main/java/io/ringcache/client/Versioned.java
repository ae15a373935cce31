package io.ringcache.client;

import java.util.Objects;

/**
 * A value with the version the owning node stamped on it. Versions grow with every write of a key
 * (hybrid logical clock); pass one to {@link AsyncRingCache#compareAndSet} to write only if nobody
 * wrote in between.
 *
 * @param value the decoded value, never null
 * @param version the entry's version, positive
 */
public record Versioned<V>(V value, long version) {
  public Versioned {
    Objects.requireNonNull(value, "value");
  }
}
