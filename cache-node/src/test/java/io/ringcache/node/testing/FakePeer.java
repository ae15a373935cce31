package io.ringcache.node.testing;

import io.ringcache.protocol.Frame;
import io.ringcache.protocol.FrameCodec;
import io.ringcache.protocol.FrameParser;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Opcode;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A peer node reduced to its wire: it records every request frame it receives (so a test can count
 * frames, not calls) and answers each with what {@code answers} says; a null answer leaves the
 * request unanswered, and {@link #dropOn} closes the connection instead.
 */
public final class FakePeer implements AutoCloseable {

  /** One received request with its header epoch. */
  public record Received(Request request, long epoch) {}

  private final Vertx vertx;
  private final FrameCodec codec;
  private final NetServer server;
  public final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile Function<Received, Response> answers = r -> null;
  private volatile Opcode dropOn;

  public FakePeer(Vertx vertx, FrameCodec codec) {
    this.vertx = vertx;
    this.codec = codec;
    this.server = vertx.createNetServer().connectHandler(this::serve);
    TestCluster.await(server.listen(0, "127.0.0.1"));
  }

  public NodeAddress address() {
    return address("fake");
  }

  /** This peer's address under {@code name}, to put into a topology. */
  public NodeAddress address(String name) {
    return new NodeAddress(name, "127.0.0.1", server.actualPort(), 0, NodeAddress.State.UP);
  }

  public void answers(Function<Received, Response> answers) {
    this.answers = answers;
  }

  public void dropOn(Opcode op) {
    this.dropOn = op;
  }

  /** Requests received other than HELLO, in arrival order. */
  public List<Request> data() {
    return received.stream().map(Received::request)
        .filter(r -> !(r instanceof Request.Hello)).toList();
  }

  private void serve(NetSocket socket) {
    socket.handler(new FrameParser(codec.limits(), (Frame frame) -> {
      Request request = codec.decodeRequest(frame);
      Received r = new Received(request, frame.epoch());
      received.add(r);
      if (request.opcode() == dropOn) {
        socket.close();
        return;
      }
      Response answer = request instanceof Request.Hello
          ? new Response.Hello("fake", FrameCodec.PROTOCOL_VERSION) : answers.apply(r);
      if (answer != null) {
        socket.write(codec.encodeResponse(request.opcode(), frame.requestId(), frame.epoch(), 0,
            answer));
      }
    }, e -> socket.close()));
  }

  @Override
  public void close() {
    TestCluster.await(server.close());
  }
}
