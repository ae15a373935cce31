package io.ringcache.client;

/**
 * Where one attempt goes: a node's address and the header flags to send with (ANY_OWNER when a
 * read goes to a replica other than the primary).
 */
record Target(String node, HostAndPort address, int flags) {}
