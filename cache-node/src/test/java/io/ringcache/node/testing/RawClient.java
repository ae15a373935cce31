package io.ringcache.node.testing;

import io.ringcache.protocol.FrameCodec;
import io.ringcache.protocol.FrameParser;
import io.ringcache.protocol.ProtocolLimits;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bare binary-protocol connection for tests and benchmarks: no routing, no retries. Requests
 * may be pipelined; answers are matched by request id. Also sends raw bytes, for malformed-input
 * tests.
 */
public final class RawClient implements AutoCloseable {

  /** Held so the client stays reachable: Vert.x closes a collected client and its sockets. */
  private final NetClient client;
  private final NetSocket socket;
  private final FrameCodec codec;
  private final Map<Integer, Promise<Response>> pending = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger(1);
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private volatile long lastEpoch;

  private RawClient(NetClient client, NetSocket socket, FrameCodec codec) {
    this.client = client;
    this.socket = socket;
    this.codec = codec;
    FrameParser parser = new FrameParser(codec.limits(), frame -> {
      lastEpoch = frame.epoch();
      Promise<Response> p = pending.remove(frame.requestId());
      if (p != null) {
        p.complete(codec.decodeResponse(frame));
      }
    }, e -> socket.close());
    socket.handler(parser);
    socket.closeHandler(v -> {
      closed.complete(null);
      pending.values().forEach(p -> p.tryFail("connection closed"));
      pending.clear();
    });
  }

  public static RawClient connect(Vertx vertx, int port) {
    return connect(vertx, port, ProtocolLimits.defaults());
  }

  public static RawClient connect(Vertx vertx, int port, ProtocolLimits limits) {
    return connect(vertx, "127.0.0.1", port, limits);
  }

  /** A connection to a node bound to {@code host} (see {@link TestCluster#withHost}). */
  public static RawClient connect(Vertx vertx, String host, int port) {
    return connect(vertx, host, port, ProtocolLimits.defaults());
  }

  private static RawClient connect(Vertx vertx, String host, int port, ProtocolLimits limits) {
    NetClient client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
    FrameCodec codec = new FrameCodec(limits);
    // Handlers are set in the completion callback, on the socket's event loop, so an answer or a
    // close that follows the connect at once cannot slip past them.
    return TestCluster.await(client.connect(port, host)
        .map(socket -> new RawClient(client, socket, codec)));
  }

  /**
   * A TLS connection that trusts the PEM certificates in {@code trust} and does not check the
   * host name.
   */
  public static RawClient connectTls(Vertx vertx, int port, java.nio.file.Path trust) {
    NetClient client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true)
        .setSsl(true)
        .setTrustOptions(new io.vertx.core.net.PemTrustOptions().addCertPath(trust.toString()))
        .setHostnameVerificationAlgorithm(""));
    FrameCodec codec = new FrameCodec(ProtocolLimits.defaults());
    return TestCluster.await(client.connect(port, "127.0.0.1")
        .map(socket -> new RawClient(client, socket, codec)));
  }

  /** Sends without waiting. */
  public Future<Response> send(Request request) {
    return send(request, 0);
  }

  public Future<Response> send(Request request, int flags) {
    return send(request, flags, 0);
  }

  /** Sends with the given header epoch (REPLICATE is only applied on the receiver's epoch). */
  public Future<Response> send(Request request, int flags, long epoch) {
    int id = ids.getAndIncrement();
    Promise<Response> promise = Promise.promise();
    pending.put(id, promise);
    socket.write(codec.encodeRequest(id, epoch, flags, request));
    return promise.future();
  }

  /** Sends and waits for the answer. */
  public Response call(Request request) {
    return TestCluster.await(send(request));
  }

  public void writeRaw(Buffer bytes) {
    socket.write(bytes);
  }

  /** Waits for the next answer to any request id, for raw-byte tests: registers id first. */
  public Future<Response> expect(int requestId) {
    Promise<Response> promise = Promise.promise();
    pending.put(requestId, promise);
    return promise.future();
  }

  public boolean awaitClosed(long seconds) {
    try {
      closed.get(seconds, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  public long lastEpoch() {
    return lastEpoch;
  }

  @Override
  public void close() {
    socket.close();
    client.close();
  }
}
