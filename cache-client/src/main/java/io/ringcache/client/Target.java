package io.ringcache.client;

/**
 * Where one attempt goes: a node's channel and the header flags to send with (ANY_OWNER when a
 * read goes to a replica other than the primary). The installed topology holds one per member
 * with no flags, so the common attempt allocates none.
 */
record Target(String node, NodeChannel channel, int flags) {

  HostAndPort address() {
    return channel.address();
  }

  Target withFlags(int f) {
    return f == flags ? this : new Target(node, channel, f);
  }
}
