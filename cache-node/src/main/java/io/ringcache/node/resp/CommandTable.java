package io.ringcache.node.resp;

import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The commands this endpoint serves, by upper-case name, with the metadata {@code COMMAND}
 * reports (Redis's arity rule, flags, key positions, group, summary), and the dispatcher that
 * checks name, arity and authentication before running one.
 *
 * <p>Commands are registered by their families ({@link ConnectionCommands}, {@link
 * ServerCommands}, {@link StringCommands}, {@link KeyCommands}), one file each.
 */
final class CommandTable {

  /** Runs one command. Argument errors are thrown as {@link RespError} before any work starts. */
  @FunctionalInterface
  interface Handler {
    Future<RespReply> run(Session session, List<byte[]> args);
  }

  /**
   * One command.
   *
   * @param arity Redis's rule: positive = exactly that many words (name included), negative =
   *     at least that many
   * @param flags as {@code COMMAND INFO} lists them; {@code noauth} commands run before AUTH
   */
  record Spec(String name, int arity, List<String> flags, int firstKey, int lastKey, int step,
      String group, String summary, Handler handler) {

    boolean noAuth() {
      return flags.contains("noauth");
    }
  }

  private final Map<String, Spec> commands = new LinkedHashMap<>();
  /** The same commands by the length of their names, for {@link #find}. */
  private Spec[][] byLength = new Spec[0][];
  /** Their names in lower-case ASCII bytes, index for index with {@link #byLength}. */
  private byte[][][] namesByLength = new byte[0][][];

  void add(String name, int arity, String flags, int firstKey, int lastKey, int step,
      String group, String summary, Handler handler) {
    String upper = name.toUpperCase(Locale.ROOT);
    if (commands.containsKey(upper)) {
      throw new IllegalStateException("command " + upper + " registered twice");
    }
    Spec spec = new Spec(name.toLowerCase(Locale.ROOT), arity,
        List.of(flags.isBlank() ? new String[0] : flags.trim().split("\\s+")), firstKey, lastKey,
        step, group, summary, handler);
    commands.put(upper, spec);
    int length = spec.name().length();
    if (length >= byLength.length) {
      Spec[][] grown = Arrays.copyOf(byLength, length + 1);
      byte[][][] grownNames = Arrays.copyOf(namesByLength, length + 1);
      for (int i = byLength.length; i < grown.length; i++) {
        grown[i] = new Spec[0];
        grownNames[i] = new byte[0][];
      }
      byLength = grown;
      namesByLength = grownNames;
    }
    int at = byLength[length].length;
    byLength[length] = Arrays.copyOf(byLength[length], at + 1);
    byLength[length][at] = spec;
    namesByLength[length] = Arrays.copyOf(namesByLength[length], at + 1);
    namesByLength[length][at] = spec.name().getBytes(StandardCharsets.US_ASCII);
  }

  /** The command named {@code name} in any ASCII case, or null; allocates nothing. */
  Spec find(byte[] name) {
    if (name.length >= byLength.length) {
      return null;
    }
    Spec[] specs = byLength[name.length];
    byte[][] names = namesByLength[name.length];
    for (int i = 0; i < names.length; i++) {
      if (sameIgnoringCase(name, names[i])) {
        return specs[i];
      }
    }
    return null;
  }

  /** Whether {@code name} spells {@code lower} (lower-case ASCII, same length) in any case. */
  private static boolean sameIgnoringCase(byte[] name, byte[] lower) {
    for (int i = 0; i < name.length; i++) {
      int b = name[i];
      if (b >= 'A' && b <= 'Z') {
        b += 'a' - 'A';
      }
      if (b != lower[i]) {
        return false;
      }
    }
    return true;
  }

  Collection<Spec> all() {
    return Collections.unmodifiableCollection(commands.values());
  }

  /** Answers {@code args} (name first). Never throws; the future never fails. */
  Future<RespReply> dispatch(Session session, List<byte[]> args) {
    Spec spec = find(args.get(0));
    if (spec == null) {
      String name = Args.text(args.get(0));
      return done(RespReply.error("ERR unknown command '"
          + (name.length() > 128 ? name.substring(0, 128) : name)
          + "', with args beginning with: " + Args.preview(args)));
    }
    if (!Args.arityMatches(spec.arity(), args.size())) {
      return done(Args.wrongArgs(spec.name()).reply());
    }
    if (!session.authenticated && !spec.noAuth()) {
      return done(RespReply.error("NOAUTH Authentication required."));
    }
    try {
      Future<RespReply> reply = spec.handler().run(session, args);
      // Most replies are ready and good: no failure handler to compose for them.
      return reply.succeeded() ? reply
          : reply.otherwise(e -> RespReply.error("ERR internal error: " + e));
    } catch (RespError e) {
      return done(e.reply());
    } catch (RuntimeException e) {
      return done(RespReply.error("ERR internal error: " + e));
    }
  }

  static Future<RespReply> done(RespReply reply) {
    return Future.succeededFuture(reply);
  }
}
