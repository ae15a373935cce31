/**
 * The ringcache binary wire protocol, shared by nodes and clients.
 *
 * <p>Length-prefixed frames over TCP ({@link io.ringcache.protocol.Frame}), each carrying an
 * {@link io.ringcache.protocol.Opcode}, {@link io.ringcache.protocol.Flags}, a
 * {@link io.ringcache.protocol.Status}, a request id and the sender's topology epoch. Requests and
 * answers share the layout, so one {@link io.ringcache.protocol.FrameCodec} serves client and
 * node-to-node traffic. A connection carries many requests in flight; answers are matched by
 * request id and may come back out of order.
 *
 * <ul>
 *   <li>{@link io.ringcache.protocol.FrameParser} cuts a byte stream into frames and rejects
 *       oversized or malformed headers before buffering.
 *   <li>{@link io.ringcache.protocol.FrameCodec} turns {@link io.ringcache.protocol.Request} and
 *       {@link io.ringcache.protocol.Response} records into frames and back, enforcing
 *       {@link io.ringcache.protocol.ProtocolLimits}.
 *   <li>{@link io.ringcache.protocol.Topology} is the cluster layout node and client route by;
 *       {@link io.ringcache.protocol.TopologyCodec} is its binary form.
 *   <li>Every violation is a {@link io.ringcache.protocol.ProtocolException} carrying the status
 *       to answer with.
 * </ul>
 *
 * <p>The byte-level specification, with a table per operation, is {@code docs/protocol.md}. The
 * only I/O type used is Vert.x {@link io.vertx.core.buffer.Buffer}.
 */
package io.ringcache.protocol;
