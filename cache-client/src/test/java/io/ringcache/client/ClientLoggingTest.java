package io.ringcache.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.client.RecordingLoggerFinder.Line;
import java.lang.System.Logger.Level;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The client logs through {@link System.Logger}, so its lines reach whatever
 * {@link System.LoggerFinder} the application installs ({@link RecordingLoggerFinder} here, found
 * through {@code META-INF/services} as a backend's bridge is), at the level it chose.
 */
class ClientLoggingTest {

  @Test
  void listenerThatThrows_warningReachesTheInstalledFinder_withoutStackTrace() {
    ScriptedIo io = new ScriptedIo(ScriptedIo.threeNodes(3, 2));
    Router router = io.bootstrap(ScriptedIo.settings(0, Duration.ZERO));
    String cache = "logging-" + System.nanoTime();
    EntryListener<byte[]> failing = new EntryListener<>() {
      @Override
      public void onEvent(EntryEvent<byte[]> event) {}

      @Override
      public void onEventsMissed(String reason) {
        throw new IllegalStateException("listener bug");
      }
    };

    new Subscriptions(router).new Sub(1, cache, failing, false).missed("test");

    assertThat(RecordingLoggerFinder.lines(l -> l.message().contains(cache)))
        .containsExactly(new Line(Subscriptions.class.getName(), Level.WARNING,
            "entry listener of cache '" + cache + "' threw: "
                + "java.lang.IllegalStateException: listener bug", null));
  }

  @Test
  void installedTopology_debugLineReachesTheInstalledFinder() {
    ScriptedIo io = new ScriptedIo(ScriptedIo.threeNodes(7, 2));

    io.bootstrap(ScriptedIo.settings(0, Duration.ZERO));

    assertThat(RecordingLoggerFinder.lines(l -> l.logger().equals(Router.class.getName())))
        .contains(new Line(Router.class.getName(), Level.DEBUG,
            "installed topology epoch 7 with 3 nodes", null));
  }
}
