package io.ringcache.client;

import java.util.Objects;

/** A parsed {@code host:port} (IPv6 literals in brackets: {@code [::1]:7101}). */
record HostAndPort(String host, int port) {

  HostAndPort {
    Objects.requireNonNull(host, "host");
  }

  static HostAndPort parse(String text) {
    Objects.requireNonNull(text, "seed");
    String s = text.trim();
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new IllegalArgumentException(
          String.format("seed '%s' is not host:port, e.g. 127.0.0.1:7101", text));
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          String.format("seed '%s' has port '%s', not a number", text, s.substring(colon + 1)));
    }
    if (port < 1 || port > 0xFFFF || host.isBlank()) {
      throw new IllegalArgumentException(String.format(
          "seed '%s' must have a host and a port within 1..65535", text));
    }
    return new HostAndPort(host, port);
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
