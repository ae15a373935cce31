package io.ringcache.node.resp;

import io.ringcache.node.server.ServerSettings;
import java.util.List;

/**
 * Commands about the connection itself: PING, ECHO, HELLO, AUTH, SELECT, QUIT, RESET, CLIENT.
 *
 * <h2>Authentication</h2>
 * The tokens are the binary port's ({@code auth-token}, and the secondary during a rotation),
 * checked in constant time by the same {@link io.ringcache.node.security.AuthTokens}. Redis's
 * forms are accepted: {@code AUTH token}, {@code AUTH default token} and {@code HELLO 3 AUTH
 * default token}; any other user name is refused, as Redis refuses an unknown ACL user. A wrong
 * token is answered WRONGPASS and the connection stays open, as in Redis; the connection must
 * still authenticate within the HELLO timeout or it is closed.
 */
final class ConnectionCommands {

  static final String WRONGPASS =
      "WRONGPASS invalid username-password pair or user is disabled.";

  private final RespNode node;
  private final ServerSettings settings;

  ConnectionCommands(RespNode node) {
    this.node = node;
    this.settings = node.settings();
  }

  void register(CommandTable t) {
    t.add("ping", -1, "fast", 0, 0, 0, "connection", "Returns the server's liveliness response.",
        (s, a) -> {
          if (a.size() > 2) {
            throw Args.wrongArgs("ping");
          }
          return CommandTable.done(a.size() == 1 ? new RespReply.Simple("PONG")
              : RespReply.bulk(a.get(1)));
        });
    t.add("echo", 2, "fast", 0, 0, 0, "connection", "Returns the given string.",
        (s, a) -> CommandTable.done(RespReply.bulk(a.get(1))));
    t.add("hello", -1, "noauth fast", 0, 0, 0, "connection", "Handshakes with the server.",
        (s, a) -> CommandTable.done(hello(s, a)));
    t.add("auth", -2, "noauth fast", 0, 0, 0, "connection", "Authenticates the connection.",
        (s, a) -> CommandTable.done(auth(s, a)));
    t.add("select", 2, "fast", 0, 0, 0, "connection",
        "Changes the selected database (only database 0 exists).", (s, a) -> {
          long db = Args.integer(a.get(1));
          return CommandTable.done(db == 0 ? RespReply.OK
              : RespReply.error("ERR DB index is out of range"));
        });
    t.add("quit", -1, "noauth fast", 0, 0, 0, "connection", "Closes the connection.",
        (s, a) -> {
          s.closeAfterReply = true;
          return CommandTable.done(RespReply.OK);
        });
    t.add("reset", 1, "noauth fast", 0, 0, 0, "connection", "Resets the connection.",
        (s, a) -> {
          s.protocol = 2;
          s.name = "";
          s.authenticated = !settings.authRequired();
          return CommandTable.done(new RespReply.Simple("RESET"));
        });
    t.add("client", -2, "", 0, 0, 0, "connection",
        "A container for client connection commands (SETNAME GETNAME ID SETINFO).",
        (s, a) -> CommandTable.done(client(s, a)));
  }

  private RespReply hello(Session s, List<byte[]> a) {
    int protocol = s.protocol;
    if (a.size() > 1) {
      Long v = Args.parseLong(a.get(1));
      if (v == null) {
        return RespReply.error("ERR Protocol version is not an integer or out of range");
      }
      if (v != 2 && v != 3) {
        return RespReply.error("NOPROTO unsupported protocol version");
      }
      protocol = v.intValue();
    }
    String token = null;
    String name = null;
    for (int i = 2; i < a.size(); i++) {
      if (Args.is(a.get(i), "AUTH") && i + 2 < a.size()) {
        if (!Args.is(a.get(i + 1), "default")) {
          return RespReply.error(WRONGPASS);
        }
        token = Args.text(a.get(i + 2));
        i += 2;
      } else if (Args.is(a.get(i), "SETNAME") && i + 1 < a.size()) {
        name = Args.text(a.get(++i));
        if (!validName(name)) {
          return RespReply.error(BAD_NAME);
        }
      } else {
        return RespReply.error("ERR Syntax error in HELLO option '" + Args.text(a.get(i)) + "'");
      }
    }
    if (token != null) {
      RespReply refused = authenticate(s, token);
      if (refused != null) {
        return refused;
      }
    } else if (!s.authenticated) {
      return RespReply.error("NOAUTH HELLO must be called with the client already authenticated,"
          + " otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate"
          + " the client and select the RESP protocol version at the same time");
    }
    if (name != null) {
      s.name = name;
    }
    s.protocol = protocol;
    return new RespReply.Map(List.of(
        RespReply.bulk("server"), RespReply.bulk("redis"),
        RespReply.bulk("version"), RespReply.bulk(ServerCommands.REDIS_VERSION),
        RespReply.bulk("proto"), RespReply.integer(protocol),
        RespReply.bulk("id"), RespReply.integer(s.id),
        RespReply.bulk("mode"), RespReply.bulk("standalone"),
        RespReply.bulk("role"), RespReply.bulk("master"),
        RespReply.bulk("modules"), new RespReply.Array(List.of())));
  }

  private RespReply auth(Session s, List<byte[]> a) {
    if (a.size() > 3) {
      return RespReply.error(RespError.SYNTAX);
    }
    if (!settings.authRequired()) {
      return RespReply.error("ERR AUTH <password> called without any password configured for the"
          + " default user. Are you sure your configuration is correct?");
    }
    if (a.size() == 3 && !Args.is(a.get(1), "default")) {
      return RespReply.error(WRONGPASS);
    }
    RespReply refused = authenticate(s, Args.text(a.get(a.size() - 1)));
    return refused == null ? RespReply.OK : refused;
  }

  /** Null when {@code token} is accepted (or auth is off), else the WRONGPASS reply. */
  private RespReply authenticate(Session s, String token) {
    if (!settings.authRequired() || settings.auth().accepts(token)) {
      s.authenticated = true;
      return null;
    }
    return RespReply.error(WRONGPASS);
  }

  private static final String BAD_NAME =
      "ERR Client names cannot contain spaces, newlines or special characters.";

  /** Redis's rule: printable ASCII without blanks. */
  private static boolean validName(String name) {
    return name.chars().allMatch(c -> c > ' ' && c <= '~');
  }

  private RespReply client(Session s, List<byte[]> a) {
    String sub = Args.upper(a.get(1));
    switch (sub) {
      case "SETNAME":
        if (a.size() != 3) {
          return Args.wrongArgs("client|setname").reply();
        }
        String name = Args.text(a.get(2));
        if (!validName(name)) {
          return RespReply.error(BAD_NAME);
        }
        s.name = name;
        return RespReply.OK;
      case "GETNAME":
        if (a.size() != 2) {
          return Args.wrongArgs("client|getname").reply();
        }
        return s.name.isEmpty() ? RespReply.NIL : RespReply.bulk(s.name);
      case "ID":
        if (a.size() != 2) {
          return Args.wrongArgs("client|id").reply();
        }
        return RespReply.integer(s.id);
      case "SETINFO":
        if (a.size() != 4) {
          return Args.wrongArgs("client|setinfo").reply();
        }
        String attribute = Args.upper(a.get(2));
        String value = Args.text(a.get(3));
        if (attribute.equals("LIB-NAME")) {
          s.libName = value;
        } else if (attribute.equals("LIB-VER")) {
          s.libVersion = value;
        } else {
          return RespReply.error("ERR Unrecognized option '" + Args.text(a.get(2)) + "'");
        }
        return RespReply.OK;
      case "INFO":
        return RespReply.bulk(String.format("id=%d addr=%s name=%s age=%d db=0 resp=%d lib-name=%s"
            + " lib-ver=%s%n", s.id, s.remote, s.name,
            (System.currentTimeMillis() - s.createdMillis) / 1000, s.protocol, s.libName,
            s.libVersion));
      default:
        return RespReply.error("ERR unknown subcommand '" + Args.text(a.get(1))
            + "'. Try CLIENT HELP.");
    }
  }
}
