/**
 * The RESP (Redis protocol) front-end: parser, connections and commands over the same request
 * path as the binary protocol ({@link io.ringcache.node.resp.RespServer}; see {@code
 * docs/resp.md}).
 *
 * <p>Floor: above {@code node.server}, whose settings, statistics and {@link
 * io.ringcache.node.server.RequestPath} it uses, and {@code node.store} and {@code
 * node.security}; only the node's top package ({@code CacheNode}) names it, passing {@link
 * io.ringcache.node.resp.RespServer#frontEnd} to the servers. {@code PackageCyclesTest} fails on
 * any dependency that points back up.
 */
package io.ringcache.node.resp;
