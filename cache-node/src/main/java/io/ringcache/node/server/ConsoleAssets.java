package io.ringcache.node.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The admin console's static files ({@code src/main/resources/ui/}), read from the jar once and
 * served from memory by {@link HttpApi} at {@code /ui/}. Plain HTML, one script and one style
 * sheet: nothing from another origin, so the Content-Security-Policy can allow {@code 'self'}
 * only (no inline script or style, no CDN). The page polls the JSON API for its data.
 */
final class ConsoleAssets {

  /** Scripts, styles and data calls from this origin only; the SVG is drawn through the DOM. */
  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self';"
      + " connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none';"
      + " frame-ancestors 'none'";

  private static final Map<String, String> TYPES = Map.of(
      "index.html", "text/html; charset=utf-8",
      "console.js", "text/javascript; charset=utf-8",
      "console.css", "text/css; charset=utf-8");

  private final Map<String, Buffer> files;

  private ConsoleAssets(Map<String, Buffer> files) {
    this.files = files;
  }

  static ConsoleAssets load() {
    Map<String, Buffer> files = new HashMap<>();
    for (String name : TYPES.keySet()) {
      try (InputStream in = ConsoleAssets.class.getResourceAsStream("/ui/" + name)) {
        if (in == null) {
          throw new IllegalStateException("console file ui/" + name + " is not in the jar");
        }
        files.put(name, Buffer.buffer(in.readAllBytes()));
      } catch (IOException e) {
        throw new UncheckedIOException("reading console file ui/" + name, e);
      }
    }
    return new ConsoleAssets(Map.copyOf(files));
  }

  void serve(HttpServerResponse res, String name) {
    res.setStatusCode(200)
        .putHeader("Content-Type", TYPES.get(name))
        .putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Cache-Control", "no-cache")
        .end(files.get(name));
  }
}
