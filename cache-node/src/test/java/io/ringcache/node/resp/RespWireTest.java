package io.ringcache.node.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.protocol.Key;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The allocation-free pieces of the RESP path: number replies, command lookup, key mapping. */
class RespWireTest {

  @ParameterizedTest
  @ValueSource(longs = {0, 7, 10, 99, 100, -1, -12, 1_000_000_007L, Long.MAX_VALUE,
      Long.MIN_VALUE})
  void integerReply_isTheDecimalOfTheValue(long value) {
    Buffer out = Buffer.buffer();
    ReplyWriter.write(RespReply.integer(value), 2, out);

    assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(":" + value + "\r\n");
  }

  @Test
  void bulkReply_carriesItsLength() {
    Buffer out = Buffer.buffer();
    ReplyWriter.write(RespReply.bulk("0123456789ab"), 2, out);
    ReplyWriter.write(RespReply.OK, 2, out);

    assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("$12\r\n0123456789ab\r\n+OK\r\n");
  }

  @Test
  void find_matchesNamesInAnyAsciiCaseOnly() {
    CommandTable t = new CommandTable();
    t.add("get", 2, "readonly", 1, 1, 1, "string", "g", (s, a) -> null);
    t.add("getex", -2, "write", 1, 1, 1, "string", "gx", (s, a) -> null);

    assertThat(t.find(ascii("GET")).name()).isEqualTo("get");
    assertThat(t.find(ascii("gEt")).name()).isEqualTo("get");
    assertThat(t.find(ascii("GetEx")).name()).isEqualTo("getex");
    assertThat(t.find(ascii("ge"))).isNull();
    assertThat(t.find(ascii("gets"))).isNull();
    assertThat(t.find(ascii("a-much-longer-name-than-any"))).isNull();
    assertThat(t.find(new byte[0])).isNull();
    // Only A-Z fold: 'G' | 0x80 is not a letter, and '\'' + 0x20 is 'G', not a case of it.
    assertThat(t.find(new byte[] {(byte) ('G' | 0x80), 'E', 'T'})).isNull();
    assertThat(t.find(new byte[] {'\'', 'E', 'T'})).isNull();
  }

  @Test
  void toKey_textKeysStandForThemselves() {
    assertThat(RespKeys.toKey(ascii("user:42"), 64)).isEqualTo(Key.of("user:42"));
    assertThat(RespKeys.toKey("clé".getBytes(StandardCharsets.UTF_8), 64))
        .isEqualTo(Key.of("clé"));
  }

  @Test
  void toKey_otherBytesAreEscapedInHex() {
    assertThat(RespKeys.toKey(new byte[] {(byte) 0xff, 0x00}, 64))
        .isEqualTo(Key.of(RespKeys.ESCAPE + "ff00"));
    assertThat(RespKeys.toKey(new byte[0], 64)).isEqualTo(Key.of(String.valueOf(RespKeys.ESCAPE)));
    byte[] withEscape = (RespKeys.ESCAPE + "x").getBytes(StandardCharsets.UTF_8);
    assertThat(RespKeys.toKey(withEscape, 64)).isEqualTo(Key.of(RespKeys.ESCAPE + "efa3bf78"));
  }

  @Test
  void toKey_overTheLimit_namesIt() {
    assertThatThrownBy(() -> RespKeys.toKey(new byte[] {(byte) 0xff, 1, 2}, 8))
        .isInstanceOf(RespError.class)
        .hasMessage("ERR key is 3 bytes (9 as stored), limit is 8 (maxKeyBytes)");
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
