package io.ringcache.client;

/**
 * Turns values into the bytes the cache stores and back. Implementations must be thread-safe and
 * must not return null. {@link #decode} may throw an unchecked exception on bytes it cannot read;
 * the call then fails with that exception.
 */
public interface ValueCodec<V> {

  /**
   * The bytes to store. The client reads the array, without copying it, until the call that
   * encoded it completes: return an array that nothing modifies meanwhile.
   */
  byte[] encode(V value);

  V decode(byte[] bytes);

  /** Bytes as they are (copied neither way: do not modify an array after handing it over). */
  static ValueCodec<byte[]> bytes() {
    return Codecs.BYTES;
  }

  /** Strings as UTF-8; decoding replaces malformed input, as {@link String#String(byte[],
   * java.nio.charset.Charset)} does. */
  static ValueCodec<String> utf8() {
    return Codecs.UTF_8;
  }

  /**
   * Java records as JSON objects, one property per component. Supported component types:
   * {@code String}, primitives and their boxes, {@code BigDecimal}, {@code BigInteger}, enums (by
   * name), {@code java.time.Instant} (ISO-8601), nested records, {@code List}, {@code Set} and
   * {@code Map<String, ?>} of supported types. Null components are written as JSON null. The
   * record class is inspected once, here; an unsupported component fails at once with
   * {@link IllegalArgumentException}.
   */
  static <R extends Record> ValueCodec<R> json(Class<R> type) {
    return new RecordJsonCodec<>(type);
  }
}
