package io.ringcache.node.cluster;

import java.util.Arrays;

/**
 * The last published topology: its epoch and its encoded bytes, opaque to this package.
 *
 * @param epoch topology epoch, positive
 * @param bytes encoded topology; the array is copied in and out
 */
public record StoredTopology(long epoch, byte[] bytes) {

  public StoredTopology {
    if (epoch <= 0) {
      throw new IllegalArgumentException(String.format("epoch must be positive, was %d", epoch));
    }
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredTopology other
        && epoch == other.epoch
        && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(epoch) * 31 + Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "StoredTopology[epoch=" + epoch + ", " + bytes.length + " bytes]";
  }
}
