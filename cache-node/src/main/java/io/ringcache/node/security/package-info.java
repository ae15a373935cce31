/**
 * Who may talk to a node and how the bytes travel: the shared auth tokens ({@link
 * io.ringcache.node.security.AuthTokens}) and TLS on the node's ports and event bus ({@link
 * io.ringcache.node.security.NodeTls}). {@code docs/security.md} is the operator's guide.
 */
package io.ringcache.node.security;
