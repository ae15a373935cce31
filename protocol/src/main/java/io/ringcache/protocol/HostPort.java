package io.ringcache.protocol;

import java.util.Objects;

/**
 * A {@code host:port} address: a seed, a node's client endpoint. IPv6 literals are written in
 * brackets ({@code [::1]:7101}) and kept without them in {@link #host()}.
 *
 * <p>This is the one parser of the project's {@code host:port} grammar; the node's settings, the
 * client's seeds and the loadtest's command line all go through {@link #parse}, so an address one
 * accepts, the others accept too.
 */
public record HostPort(String host, int port) {

  public HostPort {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port must be within 1..65535, was " + port);
    }
  }

  /** Parses {@code host:port}; see {@link #parse(String, String)}. */
  public static HostPort parse(String text) {
    return parse("address", text);
  }

  /**
   * Parses {@code host:port}, or throws {@link IllegalArgumentException} whose message names
   * {@code what} the text is ("seed"), the text and what is wrong with it.
   */
  public static HostPort parse(String what, String text) {
    if (text == null) {
      throw new IllegalArgumentException(what + " is null, expected host:port");
    }
    String s = text.strip();
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw malformed(what, text, ", e.g. 127.0.0.1:7101");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw malformed(what, text, ": IPv6 hosts go in brackets, e.g. [::1]:7101");
    }
    if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
      throw malformed(what, text, ": the host is blank or has spaces");
    }
    long port;
    try {
      port = Long.parseLong(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw malformed(what, text, ": the port is not a number");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException(
          String.format("%s '%s' has port %d, not within 1..65535", what, text, port));
    }
    return new HostPort(host, (int) port);
  }

  /** Why {@code text} is not a {@code host:port}, or {@code null} when it is one. */
  public static String problem(String what, String text) {
    try {
      parse(what, text);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /** Whether the host is a loopback name or literal ({@code localhost}, {@code 127.x}, {@code ::1}). */
  public boolean isLoopback() {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  /** {@code host:port}, with an IPv6 host in brackets. */
  public static String format(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public String toString() {
    return format(host, port);
  }

  private static IllegalArgumentException malformed(String what, String text, String hint) {
    return new IllegalArgumentException(
        String.format("%s '%s' is not host:port%s", what, text, hint));
  }
}
