package io.ringcache.client;

import io.ringcache.protocol.FrameCodec;
import io.ringcache.protocol.HostPort;
import io.ringcache.protocol.Request;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client's {@link Router.Io}: its own Vert.x instance, one event-loop context per loop,
 * TCP (or TLS) {@link Connection}s spread over those loops, Vert.x timers and
 * {@link System#nanoTime}.
 */
final class VertxIo implements Router.Io {

  private final ClientSettings settings;
  private final Vertx vertx;
  /** Held so Vert.x does not close it (it closes clients that are no longer referenced). */
  private final NetClient netClient;
  private final FrameCodec codec;
  private final Request.Hello hello;
  private final List<Context> contexts = new ArrayList<>();
  private final AtomicInteger nextContext = new AtomicInteger();

  VertxIo(ClientSettings settings) {
    this.settings = settings;
    int loops = settings.eventLoops();
    this.vertx = Vertx.vertx(new VertxOptions()
        .setEventLoopPoolSize(loops)
        .setWorkerPoolSize(1)
        .setInternalBlockingPoolSize(1));
    for (int i = 0; i < loops; i++) {
      // Not getOrCreateContext(): called from a thread outside Vert.x it hands out contexts that
      // all run on the same event loop, which left the client on one thread whatever its pool.
      contexts.add(((VertxInternal) vertx).createEventLoopContext());
    }
    this.netClient = vertx.createNetClient(settings.tls().apply(new NetClientOptions()
        .setTcpNoDelay(true)
        .setConnectTimeout((int) Math.max(100, settings.requestTimeout().toMillis()))));
    this.codec = new FrameCodec(settings.limits());
    this.hello = new Request.Hello(FrameCodec.PROTOCOL_VERSION, settings.authToken(),
        settings.clientName());
  }

  @Override
  public NodeChannel.Link connect(HostPort address, Connection.Listener listener) {
    return new Connection(address, nextContext(), netClient, codec, listener,
        settings.timeoutNanos(), hello, settings.maxPendingRequests(),
        settings.overloadWait().toNanos());
  }

  private Context nextContext() {
    return contexts.get(Math.floorMod(nextContext.getAndIncrement(), contexts.size()));
  }

  @Override
  public void schedule(long delayMillis, Runnable task) {
    if (delayMillis <= 0) {
      nextContext().runOnContext(v -> task.run());
    } else {
      vertx.setTimer(delayMillis, id -> task.run());
    }
  }

  @Override
  public long every(long millis, Runnable task) {
    return vertx.setPeriodic(millis, id -> task.run());
  }

  @Override
  public void cancel(long timer) {
    vertx.cancelTimer(timer);
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public boolean isClientThread() {
    Context c = Vertx.currentContext();
    return c != null && c.owner() == vertx;
  }

  @Override
  public CompletableFuture<Void> close() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Future.join(netClient.close(), vertx.close()).onComplete(ar -> done.complete(null));
    return done;
  }
}
