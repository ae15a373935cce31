package io.ringcache.node.resp;

import io.vertx.core.Future;
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

  void add(String name, int arity, String flags, int firstKey, int lastKey, int step,
      String group, String summary, Handler handler) {
    String upper = name.toUpperCase(Locale.ROOT);
    if (commands.containsKey(upper)) {
      throw new IllegalStateException("command " + upper + " registered twice");
    }
    commands.put(upper, new Spec(name.toLowerCase(Locale.ROOT), arity,
        List.of(flags.isBlank() ? new String[0] : flags.trim().split("\\s+")), firstKey, lastKey,
        step, group, summary, handler));
  }

  Spec find(byte[] name) {
    return commands.get(Args.upper(name));
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
      return spec.handler().run(session, args)
          .otherwise(e -> RespReply.error("ERR internal error: " + e));
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
