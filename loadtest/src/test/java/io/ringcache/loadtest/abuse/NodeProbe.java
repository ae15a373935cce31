package io.ringcache.loadtest.abuse;

import io.ringcache.loadtest.cluster.LocalNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks at one node process from outside: is it alive, is it live over HTTP, and how much heap
 * does it retain. Retained heap is read after a full collection that {@code jcmd GC.run} asks for
 * (the JDK's own tool, on a process this test started), then from the node's {@code /metrics}
 * scrape, so the figure is what the node holds on to, not garbage waiting for the collector.
 */
final class NodeProbe {

  private static final Pattern HEAP_USED = Pattern.compile(
      "^jvm_memory_used_bytes\\{(?=[^}]*area=\"heap\")[^}]*\\}\\s+(\\S+)$", Pattern.MULTILINE);
  private static final Pattern HEAP_MAX = Pattern.compile(
      "^jvm_memory_max_bytes\\{(?=[^}]*area=\"heap\")[^}]*\\}\\s+(\\S+)$", Pattern.MULTILINE);

  private final LocalNode node;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  NodeProbe(LocalNode node) {
    this.node = node;
  }

  boolean alive() {
    return ProcessHandle.of(node.pid()).map(ProcessHandle::isAlive).orElse(false);
  }

  /** True when {@code /health/live} answers 200 within 5 s. */
  boolean live() {
    try {
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(
          URI.create(node.httpBase() + "/health/live")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Heap bytes still in use after a full collection. */
  long retainedHeapBytes() throws IOException, InterruptedException {
    Process gc = new ProcessBuilder(jcmd(), Long.toString(node.pid()), "GC.run")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!gc.waitFor(60, TimeUnit.SECONDS)) {
      gc.destroyForcibly();
      throw new IOException("jcmd GC.run on pid " + node.pid() + " did not finish in 60 s");
    }
    return sum(HEAP_USED, scrape());
  }

  /** The heap's maximum size as the node reports it. */
  long maxHeapBytes() throws IOException, InterruptedException {
    return sum(HEAP_MAX, scrape());
  }

  private String scrape() throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
        URI.create(node.httpBase() + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("/metrics answered " + r.statusCode());
    }
    return r.body();
  }

  private static long sum(Pattern meter, String scrape) throws IOException {
    Matcher m = meter.matcher(scrape);
    double total = 0;
    boolean found = false;
    while (m.find()) {
      double v = Double.parseDouble(m.group(1));
      if (v > 0) {
        total += v;
      }
      found = true;
    }
    if (!found) {
      throw new IOException("no " + meter.pattern() + " in the /metrics scrape");
    }
    return (long) total;
  }

  private static String jcmd() {
    Optional<String> javaCommand = ProcessHandle.current().info().command();
    return javaCommand.map(c -> c.replaceFirst("java$", "jcmd")).orElse("jcmd");
  }
}
