package io.ringcache.client;

import io.ringcache.protocol.HostPort;

/**
 * Where one attempt goes: a node's channel and the header flags to send with (ANY_OWNER when a
 * read goes to a replica other than the primary). The installed topology holds one per member
 * with no flags, so the common attempt allocates none.
 */
record Destination(String node, NodeChannel channel, int flags) {

  HostPort address() {
    return channel.address();
  }

  Destination withFlags(int f) {
    return f == flags ? this : new Destination(node, channel, f);
  }
}
