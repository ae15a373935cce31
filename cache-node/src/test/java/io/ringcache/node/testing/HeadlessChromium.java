package io.ringcache.node.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * A headless Chromium driven over the DevTools protocol, for browser tests of the admin console.
 *
 * <p>Design: Chromium runs as a child process on loopback with {@code --remote-debugging-port=0}
 * and a fresh user-data-dir; the port it picked is read from {@code DevToolsActivePort} in that
 * directory, the page's WebSocket from {@code /json/list}, and the protocol is spoken with the
 * JDK's WebSocket (no library). Tests evaluate an expression in the page ({@link #evaluate}) and
 * wait on its answer; screenshots come from {@code Page.captureScreenshot}.
 *
 * <p>Failure: every wait is bounded; {@link #close()} ends the process it started and that
 * process's children (by handle, never by name) and deletes the directory.
 */
public final class HeadlessChromium implements AutoCloseable {

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final Path dir;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonObject>> calls = new ConcurrentHashMap<>();

  private HeadlessChromium(Process process, Path dir, WebSocket socket) {
    this.process = process;
    this.dir = dir;
    this.socket = socket;
  }

  /**
   * The Chromium binary, installed through {@code deploy/console/setup.sh} (Debian's chromium)
   * when none is on the PATH; empty when it is missing and cannot be installed.
   */
  public static Optional<Path> find() throws IOException, InterruptedException {
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.exists(root.resolve("deploy/console/setup.sh"))) {
      root = root.getParent();
    }
    if (root == null) {
      return Optional.empty();
    }
    Path log = Files.createTempFile("chromium-setup", ".log");
    Process setup = new ProcessBuilder("bash", root.resolve("deploy/console/setup.sh").toString())
        .redirectError(log.toFile()).start();
    byte[] out = setup.getInputStream().readAllBytes();
    if (!setup.waitFor(10, TimeUnit.MINUTES)) {
      setup.destroyForcibly();
      return Optional.empty();
    }
    String[] lines = new String(out, StandardCharsets.UTF_8).strip().split("\n");
    Path binary = Path.of(lines[lines.length - 1].strip());
    if (setup.exitValue() != 0 || !Files.isExecutable(binary)) {
      System.err.println("chromium setup failed (exit " + setup.exitValue() + "):\n"
          + Files.readString(log));
      return Optional.empty();
    }
    Files.deleteIfExists(log);
    return Optional.of(binary);
  }

  /** Starts Chromium headless on {@code url} at {@code width} x {@code height}. */
  public static HeadlessChromium launch(Path binary, String url, int width, int height)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("ringcache-chromium");
    Process process = new ProcessBuilder(binary.toString(), "--headless=new", "--no-sandbox",
        "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--mute-audio",
        "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
        "--user-data-dir=" + dir.resolve("profile"), "--window-size=" + width + "," + height,
        url)
        .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
    try {
      Path portFile = dir.resolve("profile").resolve("DevToolsActivePort");
      Awaitility.await("Chromium's DevToolsActivePort").atMost(60, TimeUnit.SECONDS)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> !process.isAlive() || (Files.exists(portFile)
              && Files.readString(portFile).contains("\n")));
      if (!process.isAlive()) {
        throw new IllegalStateException("chromium exited with " + process.exitValue() + ": "
            + Files.readString(dir.resolve("chromium.log")));
      }
      int port = Integer.parseInt(Files.readString(portFile).lines().findFirst().orElseThrow()
          .strip());
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      String pageSocket = Awaitility.await("Chromium's page target").atMost(30, TimeUnit.SECONDS)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> pageSocket(http, port), s -> s != null);
      HeadlessChromium[] self = new HeadlessChromium[1];
      WebSocket socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
          .buildAsync(URI.create(pageSocket), new Listener(self))
          .get(30, TimeUnit.SECONDS);
      self[0] = new HeadlessChromium(process, dir, socket);
      return self[0];
    } catch (Exception e) {
      stop(process);
      deleteTree(dir);
      throw new IllegalStateException("could not start chromium: " + e, e);
    }
  }

  private static String pageSocket(HttpClient http, int port) {
    try {
      HttpResponse<String> res = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/json/list")).timeout(Duration.ofSeconds(5))
          .build(), HttpResponse.BodyHandlers.ofString());
      for (Object o : new JsonArray(res.body())) {
        JsonObject target = (JsonObject) o;
        if ("page".equals(target.getString("type"))) {
          return target.getString("webSocketDebuggerUrl");
        }
      }
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null;
  }

  /** Sends one DevTools command and waits (bounded) for its result. */
  public JsonObject call(String method, JsonObject params) {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonObject> answer = new CompletableFuture<>();
    calls.put(id, answer);
    JsonObject reply;
    try {
      socket.sendText(new JsonObject().put("id", id).put("method", method).put("params", params)
          .encode(), true).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      reply = answer.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(method + " got no answer within " + CALL_TIMEOUT, e);
    } finally {
      calls.remove(id);
    }
    if (reply.containsKey("error")) {
      throw new IllegalStateException(method + " failed: " + reply.getJsonObject("error"));
    }
    return reply.getJsonObject("result", new JsonObject());
  }

  /**
   * Evaluates {@code expression} in the page and returns its value as a string (an expression
   * that throws is reported as the text of the exception).
   */
  public String evaluate(String expression) {
    JsonObject result = call("Runtime.evaluate", new JsonObject().put("expression", expression)
        .put("returnByValue", true).put("awaitPromise", true));
    if (result.containsKey("exceptionDetails")) {
      return "exception: " + result.getJsonObject("exceptionDetails");
    }
    return String.valueOf(result.getJsonObject("result").getValue("value"));
  }

  /** A PNG of the whole page at {@code width} pixels wide. */
  public byte[] screenshot(int width) {
    int height = Integer.parseInt(evaluate(
        "String(Math.ceil(document.documentElement.scrollHeight))"));
    call("Emulation.setDeviceMetricsOverride", new JsonObject().put("width", width)
        .put("height", Math.min(height, 4000)).put("deviceScaleFactor", 1).put("mobile", false));
    String png = call("Page.captureScreenshot", new JsonObject().put("format", "png"))
        .getString("data");
    return Base64.getDecoder().decode(png);
  }

  private void answered(JsonObject message) {
    Integer id = message.getInteger("id");
    if (id != null) {
      CompletableFuture<JsonObject> f = calls.get(id);
      if (f != null) {
        f.complete(message);
      }
    }
  }

  @Override
  public void close() {
    try {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      socket.abort();
    }
    stop(process);
    deleteTree(dir);
  }

  private static void stop(Process process) {
    java.util.List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temp directory left behind is harmless.
    }
  }

  /** Joins a message's parts and hands complete messages to the browser object. */
  private static final class Listener implements WebSocket.Listener {

    private final HeadlessChromium[] owner;
    private final StringBuilder text = new StringBuilder();

    Listener(HeadlessChromium[] owner) {
      this.owner = owner;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        JsonObject message = new JsonObject(text.toString());
        text.setLength(0);
        if (owner[0] != null) {
          owner[0].answered(message);
        }
      }
      ws.request(1);
      return null;
    }
  }
}
