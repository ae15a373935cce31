package io.ringcache.node.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.SetMode;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Path segments to keys (RFC 3986, strict UTF-8) and PUT preconditions to requests. */
class PathKeyTest {

  @Test
  void decode_plusIsLiteral_escapesAreBytes_rawLatin1CharsAreBytes() {
    assertThat(PathKey.decode("a+b", 64)).isEqualTo(Key.of("a+b"));
    assertThat(PathKey.decode("a%20b%2Fc", 64)).isEqualTo(Key.of("a b/c"));
    assertThat(PathKey.decode("caf%c3%A9", 64)).isEqualTo(Key.of("caf\u00e9"));
    assertThat(PathKey.decode("caf\u00c3\u00a9", 64)).isEqualTo(Key.of("caf\u00e9"));
    assertThat(PathKey.decode("a%00b", 64)).isEqualTo(Key.of("a\u0000b"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"%FF", "%zz", "a%F", "%", "%C3%28", "%ED%A0%80", "%C0%AF", "caf%E9",
      "%\u0661\u0661", "\u20ac"})
  void decode_badEscapeOrInvalidUtf8_isRefused(String segment) {
    assertThatThrownBy(() -> PathKey.decode(segment, 64))
        .isInstanceOf(IllegalArgumentException.class)
        .isNotInstanceOf(PathKey.KeyTooLargeException.class);
  }

  @Test
  void decode_countsDecodedBytesAgainstTheLimit() {
    assertThat(PathKey.decode("%C3%A9".repeat(32), 64).length()).isEqualTo(64);
    assertThatThrownBy(() -> PathKey.decode("%C3%A9".repeat(33), 64))
        .isInstanceOf(PathKey.KeyTooLargeException.class).hasMessageContaining("66")
        .hasMessageContaining("64");
  }

  @Test
  void badEscape_findsTheFirstMalformedEscape() {
    assertThat(PathKey.badEscape("/v1/keys/a%41b")).isEqualTo(-1);
    assertThat(PathKey.badEscape("/v1/keys/a%4")).isEqualTo(10);
    assertThat(PathKey.badEscape("/v1/%zz/a%41")).isEqualTo(4);
  }

  @Test
  void put_preconditionsMapToPutIfAbsentPutIfPresentAndCas() {
    Key k = Key.of("k");
    Buffer v = Buffer.buffer("v");
    assertThat(Conditions.put(k, v, 0, null, null, "*"))
        .isEqualTo(new Request.Set(k, v, 0, SetMode.IF_ABSENT));
    assertThat(Conditions.put(k, v, 0, null, "*", null))
        .isEqualTo(new Request.Set(k, v, 0, SetMode.IF_PRESENT));
    assertThat(Conditions.put(k, v, 5, null, "\"42\"", null))
        .isEqualTo(new Request.Cas(k, 42, v, 5));
    assertThat(Conditions.put(k, v, 0, null, "42", null)).isEqualTo(new Request.Cas(k, 42, v, 0));
    assertThat(Conditions.put(k, v, 0, "if-absent", null, null))
        .isEqualTo(new Request.Set(k, v, 0, SetMode.IF_ABSENT));
  }

  @Test
  void put_contradictoryOrMalformedPreconditions_areRefused() {
    Key k = Key.of("k");
    Buffer v = Buffer.buffer("v");
    assertThatThrownBy(() -> Conditions.put(k, v, 0, null, "\"1\"", "*"))
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> Conditions.put(k, v, 0, "if-absent", null, "*"))
        .hasMessageContaining("mode=");
    assertThatThrownBy(() -> Conditions.put(k, v, 0, null, null, "\"1\""))
        .hasMessageContaining("If-None-Match");
    assertThatThrownBy(() -> Conditions.put(k, v, 0, null, "W/\"1\"", null))
        .hasMessageContaining("If-Match");
    assertThatThrownBy(() -> Conditions.put(k, v, 0, null, "\"1\", \"2\"", null))
        .hasMessageContaining("If-Match");
  }

  @Test
  void noneMatch_weakComparisonListsAndStar() {
    assertThat(Conditions.noneMatch("\"7\"", "\"7\"")).isTrue();
    assertThat(Conditions.noneMatch("\"1\", W/\"7\"", "\"7\"")).isTrue();
    assertThat(Conditions.noneMatch("*", "\"7\"")).isTrue();
    assertThat(Conditions.noneMatch("\"8\"", "\"7\"")).isFalse();
    assertThat(Conditions.noneMatch(null, "\"7\"")).isFalse();
  }
}
