package io.ringcache.client;

import java.nio.charset.StandardCharsets;

/** The stateless codecs behind {@link ValueCodec#bytes()} and {@link ValueCodec#utf8()}. */
final class Codecs {

  static final ValueCodec<byte[]> BYTES = new ValueCodec<>() {
    @Override
    public byte[] encode(byte[] value) {
      return value;
    }

    @Override
    public byte[] decode(byte[] bytes) {
      return bytes;
    }
  };

  static final ValueCodec<String> UTF_8 = new ValueCodec<>() {
    @Override
    public byte[] encode(String value) {
      return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  };

  private Codecs() {}
}
