package io.ringcache.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.protocol.Key;
import org.junit.jupiter.api.Test;

/** The request path builds store keys from protocol keys without hashing twice: same key. */
class StoreKeyPositionTest {

  @Test
  void wrapWithKnownPosition_equalsHashedKey() {
    Key key = Key.of("user:42");
    StoreKey fast = StoreKey.wrap(key.toBytes(), key.position());
    StoreKey hashed = StoreKey.of("user:42");
    assertThat(fast).isEqualTo(hashed);
    assertThat(fast.position()).isEqualTo(hashed.position());
    assertThat(fast.hashCode()).isEqualTo(hashed.hashCode());
  }
}
