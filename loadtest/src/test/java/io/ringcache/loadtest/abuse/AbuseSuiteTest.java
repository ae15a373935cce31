package io.ringcache.loadtest.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.client.CacheClient;
import io.ringcache.client.CacheException;
import io.ringcache.loadtest.cluster.LocalCluster;
import io.ringcache.loadtest.cluster.LocalNode;
import io.ringcache.protocol.Frame;
import io.ringcache.protocol.FrameCodec;
import io.ringcache.protocol.FrameParser;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Opcode;
import io.ringcache.protocol.ProtocolLimits;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The abuse suite: one node process with the heap a small container gives it (256 MiB) takes
 * hostile, buggy and greedy clients, one case at a time, on 127.0.0.1. Every case asserts the
 * three things an operator relies on: the node is still alive and live afterwards, the heap it
 * retains (after a full collection, while the abuser's connections are still open) grew by less
 * than {@link #RETAINED_GROWTH_LIMIT}, and an ordinary client on other connections (the
 * {@link Canary}) was served, with the value it wrote, during and after the abuse.
 *
 * <p>The node runs with {@code -XX:+ExitOnOutOfMemoryError}, as in the container image, so a case
 * that exhausts the heap kills the process and fails loudly instead of limping on. Every case is
 * bounded in connections, bytes and time. Cases that need a peer's identity (far-future versions
 * from an authenticated peer) run in-process in {@code cache-node}'s {@code PeerTrustTest}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AbuseSuiteTest {

  /** What an abuse case may leave the node holding, beyond what it held before. */
  static final long RETAINED_GROWTH_LIMIT = 48L * 1024 * 1024;
  static final Path LOG_ROOT = Path.of("target", "abuse-suite");
  private static final ProtocolLimits LIMITS = ProtocolLimits.defaults();
  private static final int CLOSED_WHILE_SENDING = -1;
  private static final FrameCodec CODEC = new FrameCodec(LIMITS);

  /** Set by a case that may leave the node unusable without killing it (a poisoned clock). */
  private static boolean restartBeforeNext;
  private static LocalCluster cluster;
  private static LocalNode node;
  private static NodeProbe probe;
  /** The node's RESP port (the same across restarts). */
  private static int respPort;

  @BeforeAll
  static void startNode() throws IOException {
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      respPort = free.getLocalPort();
    }
    cluster = LocalCluster.builder().nodes(1).replicationFactor(1)
        .jvmOptions("-Xmx256m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError")
        .nodeOptions("--resp-port", Integer.toString(respPort))
        .logRoot(LOG_ROOT).start();
    cluster.awaitReady();
    node = cluster.node(cluster.names().get(0)).orElseThrow();
    probe = new NodeProbe(node);
  }

  /** A case that killed the node must not take the next cases with it: start it again. */
  @BeforeEach
  void nodeUp() {
    if (!probe.alive() || restartBeforeNext) {
      restartBeforeNext = false;
      cluster.kill(node.name());
      node = cluster.start(node.name());
      cluster.awaitReady();
      probe = new NodeProbe(node);
    }
  }

  @AfterAll
  static void stopNode() {
    if (cluster != null) {
      cluster.close();
    }
  }

  // ------------------------------------------------------------------ framing and bytes

  @Test
  void randomBytes_overThousandsOfConnections_nodeServesOthers() throws Exception {
    SplittableRandom random = new SplittableRandom(11);
    underAbuse("random-bytes", () -> {
      for (int c = 0; c < 2_000; c++) {
        byte[] junk = new byte[1 + random.nextInt(4_096)];
        random.nextBytes(junk);
        sendAndClose(junk);
      }
    });
  }

  @Test
  void byteFlippedFrames_overThousandsOfConnections_nodeServesOthers() throws Exception {
    SplittableRandom random = new SplittableRandom(12);
    List<byte[]> valid = validFrames();
    underAbuse("byte-flipped-frames", () -> {
      for (int c = 0; c < 2_000; c++) {
        byte[] frame = valid.get(random.nextInt(valid.size())).clone();
        int flips = 1 + random.nextInt(3);
        for (int f = 0; f < flips; f++) {
          frame[random.nextInt(frame.length)] ^= (byte) (1 + random.nextInt(255));
        }
        sendAndClose(frame);
      }
    });
  }

  @Test
  void headerOnlyFlood_thousandConnectionsDeclaringMaximalFrames_costsLittle() throws Exception {
    List<Socket> held = new ArrayList<>();
    try {
      underAbuse("header-only-flood", () -> {
        for (int c = 0; c < 1_000; c++) {
          Socket s = connect();
          held.add(s);
          // A SET header declaring the largest frame the node accepts, and not one body byte.
          Buffer header = Buffer.buffer(Frame.HEADER_BYTES)
              .appendInt(LIMITS.maxFrameBytes() - 4)
              .appendByte((byte) Opcode.SET.code()).appendByte((byte) 0).appendByte((byte) 0)
              .appendByte((byte) 0).appendInt(c + 1).appendLong(0);
          s.getOutputStream().write(header.getBytes());
          s.getOutputStream().flush();
        }
      });
    } finally {
      closeAll(held);
    }
  }

  // ------------------------------------------------------------------ greedy readers and writers

  @Test
  void slowReader_pipelinesLargeGetsAndNeverReads_heapStaysBounded() throws Exception {
    byte[] big = new byte[1_000_000];
    new SplittableRandom(13).nextBytes(big);
    try (CacheClient setup = client()) {
      setup.blocking().put("abuse-big", big);
    }
    AtomicReference<Socket> reader = new AtomicReference<>();
    CompletableFuture<Void> writer = new CompletableFuture<>();
    try {
      underAbuse("slow-reader", () -> {
        Socket s = connect();
        reader.set(s);
        Thread t = new Thread(() -> {
          // Pipelines 400 GETs of a 1 MB value (400 MB of answers) and never reads one. With
          // backpressure the node stops reading this socket and this write blocks, which is
          // the point; closing the socket at the end unblocks it.
          try {
            OutputStream out = s.getOutputStream();
            for (int i = 1; i <= 400; i++) {
              out.write(CODEC.encodeRequest(i, 0, 0, new Request.Get(Key.of("abuse-big")))
                  .getBytes());
            }
            writer.complete(null);
          } catch (IOException e) {
            writer.complete(null);
          }
        }, "abuse-slow-reader");
        t.setDaemon(true);
        t.start();
        // Let the node take in what it will take: the canary keeps running meanwhile, and the
        // retained heap is measured with the reader still connected and still not reading.
        writer.completeOnTimeout(null, 5, TimeUnit.SECONDS).join();
      });
    } finally {
      Socket s = reader.get();
      if (s != null) {
        s.close();
      }
    }
  }

  @Test
  void millionCallBurst_fromOneClient_everyCallCompletes() throws Exception {
    LongAdder values = new LongAdder();
    LongAdder typed = new LongAdder();
    LongAdder untyped = new LongAdder();
    underAbuse("million-call-burst", () -> {
      try (CacheClient burst = client()) {
        burst.blocking().put("abuse-burst", new byte[100]);
        List<CompletableFuture<?>> calls = new ArrayList<>(1_000_000);
        for (int i = 0; i < 1_000_000; i++) {
          calls.add(burst.get("abuse-burst").toCompletableFuture().handle((v, e) -> {
            if (e == null) {
              values.increment();
            } else if (unwrap(e) instanceof CacheException) {
              typed.increment();
            } else {
              untyped.increment();
            }
            return null;
          }));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
            .get(90, TimeUnit.SECONDS);
      }
    });
    assertThat(values.sum() + typed.sum()).as("calls completed with a value or a typed error")
        .isEqualTo(1_000_000);
    assertThat(untyped.sum()).as("calls failed with an untyped exception").isZero();
  }

  @Test
  void oversizedMultiGetAnswer_isAnsweredNotDropped() throws Exception {
    byte[] v = new byte[700 * 1024];
    try (CacheClient setup = client()) {
      setup.blocking().put("abuse-mg-1", v);
      setup.blocking().put("abuse-mg-2", v);
    }
    AtomicReference<Response> answer = new AtomicReference<>();
    underAbuse("oversized-multi-get", () -> {
      try (Socket s = connect()) {
        s.setSoTimeout(10_000);
        s.getOutputStream().write(CODEC.encodeRequest(7, 0, 0, new Request.MultiGet(
            List.of(Key.of("abuse-mg-1"), Key.of("abuse-mg-2")))).getBytes());
        answer.set(CODEC.decodeResponse(readOne(s)));
      }
    });
    assertThat(answer.get()).as("the answer to a MULTI_GET of two 700 KiB values").isNotNull();
    assertThat(answer.get().status()).isNotEqualTo(Status.INTERNAL);
  }

  // ------------------------------------------------------------------ trust

  @Test
  void peerOnlyOpcodeFromClient_isRefused_clockNotPoisoned() throws Exception {
    AtomicReference<Response> answer = new AtomicReference<>();
    restartBeforeNext = true;
    underAbuse("peer-only-from-client", () -> {
      try (Socket s = connect()) {
        s.setSoTimeout(10_000);
        // On the node's own epoch, so that only the peer check can refuse it.
        s.getOutputStream().write(CODEC.encodeRequest(1, 0, 0, new Request.Ping()).getBytes());
        long epoch = readOne(s).epoch();
        s.getOutputStream().write(CODEC.encodeRequest(2, epoch, 0,
            new Request.Replicate(Key.of("abuse-poison"), Long.MAX_VALUE, -1, false,
                Buffer.buffer("poison"))).getBytes());
        answer.set(CODEC.decodeResponse(readOne(s)));
      }
    });
    assertThat(answer.get().status()).as("REPLICATE from a plain client")
        .isNotEqualTo(Status.OK);
    try (CacheClient c = client()) {
      assertThat(c.blocking().get("abuse-poison")).as("the key the REPLICATE named").isEmpty();
      c.blocking().put("abuse-after-poison", new byte[] {1});
      assertThat(c.blocking().get("abuse-after-poison")).isPresent();
    }
  }

  // ------------------------------------------------------------------ HTTP

  @Test
  void httpBodiesOverTheLimit_longKeys_oddEncodings_getClientErrors() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    List<Integer> bigBodies = new ArrayList<>();
    List<Integer> statuses = new ArrayList<>();
    String base = node.httpBase() + "/v1/keys/";
    underAbuse("http", () -> {
      byte[] tooBig = new byte[LIMITS.maxValueBytes() + 1];
      for (int i = 0; i < 20; i++) {
        bigBodies.add(send(http, HttpRequest.newBuilder(URI.create(base + "abuse-http-big"))
            .PUT(HttpRequest.BodyPublishers.ofByteArray(tooBig))));
      }
      statuses.add(send(http, HttpRequest.newBuilder(URI.create(base + "k".repeat(5_000)))
          .PUT(HttpRequest.BodyPublishers.ofString("v"))));
      // Each is malformed percent-encoding or invalid UTF-8 once decoded. A NUL (%00) is not
      // among them: it is valid UTF-8, and the binary protocol accepts it in a key too.
      for (String odd : List.of("%FF", "%zz", "a%F", "%C3%28", "%ED%A0%80", "%C0%AF", "caf%E9")) {
        statuses.add(rawPut("/v1/keys/" + odd));
      }
    });
    assertThat(bigBodies).as("HTTP statuses of bodies over the value limit (%d bytes); %d means"
        + " the node closed the connection while the body was still arriving",
        LIMITS.maxValueBytes(), CLOSED_WHILE_SENDING)
        .allSatisfy(code -> assertThat(code).isIn(413, CLOSED_WHILE_SENDING));
    assertThat(statuses).as("HTTP statuses of a long key and odd encodings")
        .allSatisfy(code -> assertThat(code).isBetween(400, 499));
  }

  // ------------------------------------------------------------------ RESP

  @Test
  void respMalformed_badLengthsAndGarbage_answeredAndClosed_nodeServesOthers() throws Exception {
    SplittableRandom random = new SplittableRandom(21);
    List<String> fixed = List.of(
        "*1\r\n$-7\r\n", "*2\r\n$3\r\nGET\r\n$abc\r\n", "*x\r\n",
        "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvvvvvvvvvv\r\n", "*99999999999\r\n",
        "*1\r\n:1\r\n", "SET \"unbalanced\r\n", "*1\r\n$" + "9".repeat(40) + "\r\n");
    List<String> answers = new ArrayList<>();
    underAbuse("resp-malformed", () -> {
      for (String bad : fixed) {
        answers.add(respExchange(bad.getBytes(StandardCharsets.ISO_8859_1)));
      }
      byte[] valid = resp("SET", "abuse-resp", "value").getBytes(StandardCharsets.ISO_8859_1);
      for (int c = 0; c < 1_500; c++) {
        byte[] frame = valid.clone();
        for (int f = 0, n = 1 + random.nextInt(3); f < n; f++) {
          frame[random.nextInt(frame.length)] = (byte) random.nextInt(256);
        }
        sendAndClose(respPort, frame);
      }
    });
    assertThat(answers).as("answers to malformed RESP, each followed by a close")
        .allSatisfy(a -> assertThat(a).startsWith("-ERR Protocol error: "));
    assertRespServed("resp-malformed");
  }

  @Test
  void respHugeDeclaredBulks_fromManyConnections_refusedBeforeBuffering() throws Exception {
    List<Socket> held = new ArrayList<>();
    List<String> refusals = new ArrayList<>();
    try {
      underAbuse("resp-huge-bulk", () -> {
        // Declared far beyond the value limit: refused at the header, nothing buffered.
        for (int c = 0; c < 200; c++) {
          refusals.add(respExchange(("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2147483647\r\n")
              .getBytes(StandardCharsets.US_ASCII)));
        }
        // Declared at the value limit and never sent: what the node holds is what arrived.
        for (int c = 0; c < 1_000; c++) {
          Socket s = respConnect();
          held.add(s);
          s.getOutputStream().write(("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$"
              + LIMITS.maxValueBytes() + "\r\n").getBytes(StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
        }
      });
    } finally {
      closeAll(held);
    }
    assertThat(refusals).allSatisfy(a -> assertThat(a)
        .startsWith("-ERR Protocol error: invalid bulk length"));
    assertRespServed("resp-huge-bulk");
  }

  @Test
  void respInlineFlood_lineWithoutEnd_andPipelinedPingsNeverRead_bounded() throws Exception {
    AtomicReference<String> longLine = new AtomicReference<>();
    AtomicReference<Socket> flooder = new AtomicReference<>();
    CompletableFuture<Void> writer = new CompletableFuture<>();
    try {
      underAbuse("resp-inline-flood", () -> {
        byte[] noNewline = new byte[200 * 1024];
        java.util.Arrays.fill(noNewline, (byte) 'a');
        longLine.set(respExchange(noNewline));
        Socket s = respConnect();
        flooder.set(s);
        Thread t = new Thread(() -> {
          // 64 MB of inline PINGs, answers never read: the node must stop reading this socket.
          byte[] pings = "PING\r\n".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
          try {
            for (int i = 0; i < 100; i++) {
              s.getOutputStream().write(pings);
            }
          } catch (IOException e) {
            // closed at the end of the case
          }
          writer.complete(null);
        }, "abuse-resp-inline-flood");
        t.setDaemon(true);
        t.start();
        writer.completeOnTimeout(null, 5, TimeUnit.SECONDS).join();
      });
    } finally {
      Socket s = flooder.get();
      if (s != null) {
        s.close();
      }
    }
    assertThat(longLine.get()).isEqualTo("-ERR Protocol error: too big inline request\r\n");
    assertRespServed("resp-inline-flood");
  }

  @Test
  void respBinaryKeys_randomBytes_roundTripAndLeaveNodeServing() throws Exception {
    SplittableRandom random = new SplittableRandom(22);
    List<String> mismatches = new ArrayList<>();
    underAbuse("resp-binary-keys", () -> {
      try (Socket s = respConnect()) {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        for (int i = 0; i < 500; i++) {
          byte[] key = new byte[random.nextInt(300)];
          random.nextBytes(key);
          byte[] value = new byte[random.nextInt(2_000)];
          random.nextBytes(value);
          s.getOutputStream().write(respBytes("SET".getBytes(StandardCharsets.US_ASCII), key,
              value));
          s.getOutputStream().write(respBytes("GET".getBytes(StandardCharsets.US_ASCII), key));
          String set = new String(readLine(in), StandardCharsets.ISO_8859_1);
          byte[] header = readLine(in);
          int length = Integer.parseInt(new String(header, 1, header.length - 1,
              StandardCharsets.US_ASCII));
          byte[] got = in.readNBytes(length);
          in.readNBytes(2);
          if (!set.equals("+OK") || !java.util.Arrays.equals(got, value)) {
            mismatches.add("key of " + key.length + " bytes: " + set);
          }
        }
      }
    });
    assertThat(mismatches).isEmpty();
    assertRespServed("resp-binary-keys");
  }

  private static String resp(String... args) {
    StringBuilder out = new StringBuilder("*" + args.length + "\r\n");
    for (String a : args) {
      out.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
    }
    return out.toString();
  }

  private static byte[] respBytes(byte[]... args) {
    Buffer out = Buffer.buffer().appendString("*" + args.length + "\r\n");
    for (byte[] a : args) {
      out.appendString("$" + a.length + "\r\n").appendBytes(a).appendString("\r\n");
    }
    return out.getBytes();
  }

  private static Socket respConnect() throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(node.host(), respPort), 5_000);
    return s;
  }

  /** Sends {@code bytes} and returns everything the node answers until it closes. */
  private static String respExchange(byte[] bytes) throws IOException {
    try (Socket s = respConnect()) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(bytes);
      s.getOutputStream().flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private static byte[] readLine(InputStream in) throws IOException {
    java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new IOException("connection closed mid-line");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toByteArray();
  }

  /** An ordinary RESP client is served after {@code name}: SET, GET, PING on a new connection. */
  private static void assertRespServed(String name) throws IOException {
    try (Socket s = respConnect()) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write((resp("SET", "resp-after-" + name, "ok")
          + resp("GET", "resp-after-" + name) + "PING\r\n").getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      assertThat(new String(readLine(in), StandardCharsets.US_ASCII)).isEqualTo("+OK");
      assertThat(new String(readLine(in), StandardCharsets.US_ASCII)).isEqualTo("$2");
      assertThat(new String(readLine(in), StandardCharsets.US_ASCII)).isEqualTo("ok");
      assertThat(new String(readLine(in), StandardCharsets.US_ASCII)).isEqualTo("+PONG");
    }
  }

  // ------------------------------------------------------------------ harness

  /** An action against the node; bounded in time and count by itself. */
  interface Abuse {
    void run() throws Exception;
  }

  /**
   * Runs {@code abuse} with a canary beside it and checks the node afterwards: alive and live,
   * retained heap grown by less than the limit (measured before the abuser lets go), canary
   * served throughout.
   */
  private static void underAbuse(String name, Abuse abuse) throws Exception {
    assertThat(probe.alive()).as("node alive before " + name).isTrue();
    long before = probe.retainedHeapBytes();
    List<String> canaryFailures;
    long retainedDuring;
    try (Canary canary = new Canary(node.clientAddress(), "canary-" + name)) {
      abuse.run();
      assertThat(probe.alive()).as("node process alive after " + name
          + " (it exits on OutOfMemoryError); see " + node.log()).isTrue();
      retainedDuring = probe.retainedHeapBytes();
      canaryFailures = canary.stop();
      System.out.printf("abuse %s: retained heap %,d -> %,d bytes; canary %d calls, slowest %d"
          + " ms%n", name, before, retainedDuring, canary.calls(), canary.slowest().toMillis());
    }
    assertThat(probe.live()).as("/health/live after " + name).isTrue();
    assertThat(retainedDuring - before).as("heap the node retains because of " + name)
        .isLessThan(RETAINED_GROWTH_LIMIT);
    assertThat(canaryFailures).as("calls of an ordinary client during " + name).isEmpty();
    try (CacheClient after = client()) {
      after.blocking().put("after-" + name, new byte[] {42});
      assertThat(after.blocking().get("after-" + name)).as("served after " + name).isPresent();
    }
  }

  private static CacheClient client() {
    return CacheClient.builder().seeds(node.clientAddress()).requestTimeout(Duration.ofSeconds(5))
        .build();
  }

  private static Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(node.host(), node.clientPort()), 5_000);
    return s;
  }

  private static void sendAndClose(byte[] bytes) throws IOException {
    sendAndClose(node.clientPort(), bytes);
  }

  private static void sendAndClose(int port, byte[] bytes) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(node.host(), port), 5_000);
      s.setSoLinger(true, 0);
      s.getOutputStream().write(bytes);
      s.getOutputStream().flush();
    } catch (IOException e) {
      // The node may close a connection the moment it sees a broken frame; that is allowed.
    }
  }

  private static void closeAll(List<Socket> sockets) {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  /** Reads from {@code s} until one complete frame arrives (or the socket times out). */
  private static Frame readOne(Socket s) throws IOException {
    AtomicReference<Frame> out = new AtomicReference<>();
    FrameParser parser = new FrameParser(LIMITS, f -> out.compareAndSet(null, f), e -> { });
    InputStream in = s.getInputStream();
    byte[] chunk = new byte[64 * 1024];
    while (out.get() == null) {
      int n = in.read(chunk);
      if (n < 0) {
        throw new IOException("connection closed before an answer arrived");
      }
      parser.handle(Buffer.buffer().appendBytes(chunk, 0, n));
    }
    return out.get();
  }

  /** One valid frame of each common shape, to mutate. */
  private static List<byte[]> validFrames() {
    Key key = Key.of("abuse-flip");
    return List.of(
        CODEC.encodeRequest(1, 0, 0, new Request.Hello(FrameCodec.PROTOCOL_VERSION, "", "x"))
            .getBytes(),
        CODEC.encodeRequest(2, 0, 0, new Request.Get(key)).getBytes(),
        CODEC.encodeRequest(3, 0, 0, new Request.Set(key, Buffer.buffer("value-" + "v".repeat(64)),
            0, SetMode.ALWAYS)).getBytes(),
        CODEC.encodeRequest(4, 0, 0, new Request.MultiGet(List.of(key, Key.of("other"))))
            .getBytes(),
        CODEC.encodeRequest(5, 0, 0, new Request.Increment(Key.of("abuse-n"), 1, 0)).getBytes(),
        CODEC.encodeRequest(6, 0, 0, new Request.Delete(key)).getBytes());
  }

  /**
   * A PUT with a path sent byte for byte as given (the JDK's URI refuses malformed escapes, which
   * are what this sends); returns the status code of the answer's status line.
   */
  private static int rawPut(String path) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(node.host(), node.httpPort()), 5_000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Length: 1\r\nConnection: close\r\n\r\nv")
          .getBytes(StandardCharsets.ISO_8859_1));
      String head = new String(s.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
      if (!head.startsWith("HTTP/1.1 ")) {
        throw new IOException("not an HTTP answer to PUT " + path + ": " + head);
      }
      return Integer.parseInt(head.substring(9, 12));
    }
  }

  /** The status, or {@link #CLOSED_WHILE_SENDING} when the connection broke mid-request. */
  private static int send(HttpClient http, HttpRequest.Builder request)
      throws InterruptedException {
    try {
      return http.send(request.timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      // A server may answer 413 and close before the whole body is sent; the JDK client then
      // reports the broken connection instead of the status.
      return CLOSED_WHILE_SENDING;
    }
  }

  private static Throwable unwrap(Throwable e) {
    while (e.getCause() != null
        && (e instanceof CompletionException || e instanceof ExecutionException)) {
      e = e.getCause();
    }
    return e;
  }
}
