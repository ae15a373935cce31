package io.ringcache.node.resp;

import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * String commands that read a value and write one derived from it: GETSET, GETDEL, GETEX,
 * APPEND, SETRANGE, INCRBYFLOAT. Each is a {@link ReadModifyWrite} plan: the write applies only
 * to the version read, so the result is what Redis would give, however many clients write the
 * key through however many nodes (GETDEL's delete excepted, see {@link ReadModifyWrite}).
 */
final class StringEditCommands {

  /** Redis formats INCRBYFLOAT results with 17 significant digits. */
  private static final MathContext FLOAT_DIGITS = new MathContext(17);
  /** Decimal exponents beyond which a number counts as infinite (or zero). */
  private static final int MAX_MAGNITUDE = 400;

  private final RespNode node;
  private final StringCommands strings;
  private final int maxValueBytes;

  StringEditCommands(RespNode node, StringCommands strings) {
    this.node = node;
    this.strings = strings;
    this.maxValueBytes = node.settings().limits().maxValueBytes();
  }

  void register(CommandTable t) {
    t.add("getset", 3, "write denyoom fast", 1, 1, 1, "string",
        "Returns the previous string value of a key after setting it to a new value.",
        (s, a) -> {
          Buffer value = strings.value(a.get(2));
          return edit(a.get(1), current -> new ReadModifyWrite.Write(value, 0, old(current)));
        });
    t.add("getdel", 2, "write fast", 1, 1, 1, "string",
        "Returns the string value of a key after deleting the key.",
        (s, a) -> edit(a.get(1), current -> current == null
            ? new ReadModifyWrite.Answer(RespReply.NIL)
            : new ReadModifyWrite.Remove(old(current))));
    t.add("getex", -2, "write fast", 1, 1, 1, "string",
        "Returns the string value of a key after setting its expiration time.",
        (s, a) -> getEx(a));
    t.add("append", 3, "write denyoom fast", 1, 1, 1, "string",
        "Appends a string to the value of a key. Creates the key if it doesn't exist.",
        (s, a) -> {
          byte[] tail = a.get(2);
          return edit(a.get(1), current -> {
            Buffer next = current == null ? Buffer.buffer() : current.value().copy();
            checkLength((long) next.length() + tail.length);
            next.appendBytes(tail);
            return new ReadModifyWrite.Write(next, ReadModifyWrite.keptTtl(current),
                RespReply.integer(next.length()));
          });
        });
    t.add("setrange", 4, "write denyoom", 1, 1, 1, "string",
        "Overwrites a part of a string value with another by an offset. Creates the key if it"
            + " doesn't exist.", (s, a) -> setRange(a));
    t.add("incrbyfloat", 3, "write denyoom fast", 1, 1, 1, "string",
        "Increment the floating point value of a key by a number.", (s, a) -> {
          BigDecimal by = decimal(a.get(2));
          return edit(a.get(1), current -> {
            BigDecimal base = current == null ? BigDecimal.ZERO
                : decimal(current.value().getBytes());
            String sum = format(base.add(by));
            byte[] bytes = sum.getBytes(StandardCharsets.US_ASCII);
            checkLength(bytes.length);
            return new ReadModifyWrite.Write(Buffer.buffer(bytes),
                ReadModifyWrite.keptTtl(current), RespReply.bulk(bytes));
          });
        });
  }

  private Future<RespReply> edit(byte[] rawKey, ReadModifyWrite.Plan plan) {
    Key key = strings.key(rawKey);
    return ReadModifyWrite.run(node.path(), key, plan);
  }

  private static RespReply old(Response.Value current) {
    return current == null ? RespReply.NIL : new RespReply.Bulk(current.value());
  }

  private void checkLength(long length) {
    if (length > maxValueBytes) {
      throw new RespError(String.format("ERR string exceeds maximum allowed size (%d bytes,"
          + " maxValueBytes)", maxValueBytes));
    }
  }

  private Future<RespReply> getEx(List<byte[]> a) {
    boolean persist = false;
    boolean hasTtl = false;
    long ttl = 0;
    for (int i = 2; i < a.size(); i++) {
      String word = Args.upper(a.get(i));
      ExpiryOptions.Unit unit = ExpiryOptions.unitOf(word);
      if (unit != null && !hasTtl && !persist && i + 1 < a.size()) {
        long amount = Args.integer(a.get(++i));
        if (amount <= 0) {
          throw ExpiryOptions.invalid("getex");
        }
        ttl = ExpiryOptions.ttlMillis(amount, unit, "getex");
        hasTtl = true;
      } else if (word.equals("PERSIST") && !hasTtl && !persist) {
        persist = true;
      } else {
        throw new RespError(RespError.SYNTAX);
      }
    }
    if (!persist && !hasTtl) {
      return node.path().call(new Request.Get(strings.key(a.get(1))))
          .map(Replies::value);
    }
    boolean clear = persist;
    long newTtl = ttl;
    return edit(a.get(1), current -> {
      if (current == null) {
        return new ReadModifyWrite.Answer(RespReply.NIL);
      }
      RespReply value = new RespReply.Bulk(current.value());
      if (clear) {
        return current.ttlMillis() < 0 ? new ReadModifyWrite.Answer(value)
            : new ReadModifyWrite.Write(current.value(), 0, value);
      }
      return newTtl <= 0 ? new ReadModifyWrite.Remove(value)
          : new ReadModifyWrite.Write(current.value(), newTtl, value);
    });
  }

  private Future<RespReply> setRange(List<byte[]> a) {
    long offset = Args.integer(a.get(2));
    if (offset < 0) {
      throw new RespError("ERR offset is out of range");
    }
    byte[] patch = a.get(3);
    if (patch.length > 0 && offset > maxValueBytes - patch.length) {
      checkLength((long) maxValueBytes + 1);
    }
    return edit(a.get(1), current -> {
      if (patch.length == 0) {
        return new ReadModifyWrite.Answer(
            RespReply.integer(current == null ? 0 : current.value().length()));
      }
      byte[] old = current == null ? new byte[0] : current.value().getBytes();
      byte[] next = new byte[(int) Math.max(old.length, offset + patch.length)];
      System.arraycopy(old, 0, next, 0, old.length);
      System.arraycopy(patch, 0, next, (int) offset, patch.length);
      return new ReadModifyWrite.Write(Buffer.buffer(next), ReadModifyWrite.keptTtl(current),
          RespReply.integer(next.length));
    });
  }

  /**
   * A decimal number as INCRBYFLOAT accepts it (no blanks; exponents allowed). Infinity is a
   * number Redis parses but cannot add to, so it gets Redis's NaN-or-Infinity error.
   */
  private static BigDecimal decimal(byte[] raw) {
    String text = new String(raw, StandardCharsets.US_ASCII);
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.matches("[+-]?(inf|infinity)")) {
      throw new RespError("ERR increment would produce NaN or Infinity");
    }
    if (text.isEmpty() || text.length() > 5000 || !text.equals(text.strip())) {
      throw new RespError(RespError.NOT_A_FLOAT);
    }
    BigDecimal value;
    try {
      value = new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw new RespError(RespError.NOT_A_FLOAT);
    }
    // An exponent far outside any float's range would make the exact sum enormous ("1e-999999999"
    // plus 1 has a billion digits): beyond 10^±400 a number is infinite or zero, as a long
    // double (Redis's type) would make it.
    int magnitude = value.precision() - value.scale();
    if (value.signum() != 0 && magnitude > MAX_MAGNITUDE) {
      throw new RespError("ERR increment would produce NaN or Infinity");
    }
    return value.signum() != 0 && magnitude < -MAX_MAGNITUDE ? BigDecimal.ZERO : value;
  }

  private static String format(BigDecimal value) {
    BigDecimal rounded = value.round(FLOAT_DIGITS).stripTrailingZeros();
    if (rounded.abs().compareTo(BigDecimal.valueOf(Double.MAX_VALUE)) > 0) {
      throw new RespError("ERR increment would produce NaN or Infinity");
    }
    return rounded.signum() == 0 ? "0" : rounded.toPlainString();
  }
}
