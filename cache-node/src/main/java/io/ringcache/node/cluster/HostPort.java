package io.ringcache.node.cluster;

/** A parsed {@code host:port} seed; IPv6 hosts are written in brackets, {@code [::1]:5701}. */
record HostPort(String host, int port) {

  static HostPort parse(String text) {
    if (text == null) {
      throw malformed(null);
    }
    String s = text.strip();
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw malformed(text);
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw malformed(text);
    }
    if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
      throw malformed(text);
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw malformed(text);
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException(
          String.format("seed port must be within 1..65535, was %d in '%s'", port, text));
    }
    return new HostPort(host, port);
  }

  static String format(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public String toString() {
    return format(host, port);
  }

  private static IllegalArgumentException malformed(String text) {
    return new IllegalArgumentException(
        String.format(
            "malformed seed: expected host:port, was %s",
            text == null ? "null" : "'" + text + "'"));
  }
}
