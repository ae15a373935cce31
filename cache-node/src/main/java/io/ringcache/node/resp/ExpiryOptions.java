package io.ringcache.node.resp;

/**
 * ExpiryOptions arguments (EX, PX, EXAT, PXAT and the EXPIRE family) turned into a TTL relative to now,
 * in milliseconds, with Redis's overflow rules: a product or sum that leaves the signed 64-bit
 * range is "invalid expire time in '<command>' command".
 */
final class ExpiryOptions {

  enum Unit {
    SECONDS(1000, false),
    MILLIS(1, false),
    UNIX_SECONDS(1000, true),
    UNIX_MILLIS(1, true);

    final long factor;
    final boolean absolute;

    Unit(long factor, boolean absolute) {
      this.factor = factor;
      this.absolute = absolute;
    }
  }

  private ExpiryOptions() {}

  /** The unit an option word of SET or GETEX names (EX, PX, EXAT, PXAT), or {@code null}. */
  static Unit unitOf(String upperWord) {
    return switch (upperWord) {
      case "EX" -> Unit.SECONDS;
      case "PX" -> Unit.MILLIS;
      case "EXAT" -> Unit.UNIX_SECONDS;
      case "PXAT" -> Unit.UNIX_MILLIS;
      default -> null;
    };
  }

  /**
   * The TTL in milliseconds that {@code amount} in {@code unit} means now; zero or negative means
   * the deadline has passed.
   */
  static long ttlMillis(long amount, Unit unit, String command) {
    long millis;
    try {
      millis = Math.multiplyExact(amount, unit.factor);
      if (unit.absolute) {
        return Math.subtractExact(millis, System.currentTimeMillis());
      }
      // Redis also refuses a relative TTL whose deadline would overflow.
      Math.addExact(millis, System.currentTimeMillis());
      return millis;
    } catch (ArithmeticException e) {
      throw invalid(command);
    }
  }

  static RespError invalid(String command) {
    return new RespError("ERR invalid expire time in '" + command + "' command");
  }
}
