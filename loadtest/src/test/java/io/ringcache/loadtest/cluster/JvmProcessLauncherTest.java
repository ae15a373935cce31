package io.ringcache.loadtest.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.loadtest.cluster.JvmProcessLauncher.Launch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The launcher against real JVMs ({@link IdleMain} from the test class path): readiness on a line
 * and on a port, {@code kill -9}, a graceful stop, a crash while waiting, and a close that leaves
 * no process behind. Every wait is on a condition; the bounds are far above what the JVMs need.
 */
class JvmProcessLauncherTest {

  static final Path LOG_ROOT = Path.of("target", "jvm-launcher");
  static final Duration BOUND = Duration.ofSeconds(60);

  /** The failure type the launcher is given, so a test can tell its errors from others. */
  static final class TestFailure extends RuntimeException {
    TestFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static JvmProcessLauncher launcher() {
    return new JvmProcessLauncher("jl", "process", LOG_ROOT, TestFailure::new);
  }

  static Launch idle(String name, String... args) {
    return Launch.named(name).java(Path.of(System.getProperty("java.home"), "bin", "java"))
        .jvmOptions(List.of("-Xmx32m", "-XX:+UseSerialGC"))
        .mainClass(System.getProperty("java.class.path"), IdleMain.class.getName())
        .arguments(List.of(args));
  }

  @Test
  void lineAndPortReadiness_killNine_stop_close_leaveNoProcess() throws Exception {
    List<Long> pids = new ArrayList<>();
    JvmProcessLauncher closed;
    try (JvmProcessLauncher launcher = launcher()) {
      AtomicInteger port = new AtomicInteger();
      LaunchedJvm first = launcher.start(idle("idle-1").onLine(line -> {
        if (line.startsWith(IdleMain.LISTENING)) {
          port.set(Integer.parseInt(line.substring(IdleMain.LISTENING.length())));
        }
      }));
      pids.add(first.pid());
      launcher.await("a listening line", () -> port.get() > 0, BOUND, port::toString);
      launcher.await("the port accepting", JvmProcessLauncher.portAccepts("127.0.0.1", port.get()),
          BOUND, port::toString);
      assertThat(Files.readString(first.log()))
          .contains("starting: ").contains(IdleMain.class.getName())
          .contains(IdleMain.LISTENING + port.get());
      assertThatThrownBy(() -> launcher.start(idle("idle-1")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("process 'idle-1' is running already; running: [idle-1]");

      assertThat(launcher.kill("idle-1")).as("exit code after SIGKILL").isEqualTo(137);
      assertThat(ProcessHandle.of(first.pid()).map(ProcessHandle::isAlive).orElse(false))
          .as("pid %d after kill -9", first.pid()).isFalse();
      assertThat(launcher.names()).isEmpty();
      assertThatThrownBy(() -> launcher.kill("idle-1"))
          .hasMessage("no running process named 'idle-1'; running: []");

      // Output straight to the log (no line follower); SIGTERM ends a JVM with 143.
      LaunchedJvm second = launcher.start(idle("idle-2"));
      pids.add(second.pid());
      launcher.await("its line in the log", () -> logHas(second, IdleMain.LISTENING), BOUND,
          () -> "no line yet");
      assertThat(launcher.stop("idle-2", BOUND)).as("exit code after SIGTERM").isEqualTo(143);
      assertThat(second.isAlive()).isFalse();

      LaunchedJvm left = launcher.start(idle("idle-1"));
      pids.add(left.pid());
      assertThat(launcher.names()).containsExactly("idle-1");
      closed = launcher;
    }
    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
          .as("pid %d after close", pid).isFalse();
    }
    assertThat(ProcessHandle.current().children().map(ProcessHandle::pid).toList())
        .as("children of this JVM after close").doesNotContainAnyElementsOf(pids);
    assertThatThrownBy(() -> closed.start(idle("idle-3")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void await_processExitsUnsignalled_failsAtOnceNamingCodeAndLog() {
    try (JvmProcessLauncher launcher = launcher()) {
      LaunchedJvm crashing = launcher.start(idle("crashing", "exit", "3").onLine(line -> {}));
      assertThatThrownBy(() -> launcher.await("never", () -> false, BOUND, () -> "nothing"))
          .isInstanceOf(TestFailure.class)
          .hasMessageContaining("process 'crashing' (pid " + crashing.pid() + ")")
          .hasMessageContaining("exited while waiting for readiness (exit code 3)")
          .hasMessageContaining(crashing.log().toString());
      // The reader had copied the last line before the failure was raised.
      assertThat(logHas(crashing, "exiting with 3")).isTrue();
    }
  }

  @Test
  void await_conditionNeverHolds_failsAfterTheBoundWithWhatItSaw() {
    try (JvmProcessLauncher launcher = launcher()) {
      assertThatThrownBy(() -> launcher.await("the moon", () -> false, Duration.ofMillis(300),
          () -> "no moon"))
          .isInstanceOf(TestFailure.class)
          .hasMessage("%s not ready within 300 ms (the moon); last seen: no moon; logs in %s",
              launcher.group(), launcher.logDirectory());
    }
  }

  @Test
  void launch_badNameOrNoEntry_rejected() {
    assertThatThrownBy(() -> Launch.named("a/b"))
        .hasMessage("process name must match [A-Za-z0-9._-]{1,64}, was 'a/b'");
    try (JvmProcessLauncher launcher = launcher()) {
      assertThatThrownBy(() -> launcher.start(Launch.named("nothing")))
          .hasMessage("launch 'nothing' names neither a jar nor a main class");
      assertThat(launcher.names()).isEmpty();
    }
  }

  private static boolean logHas(LaunchedJvm jvm, String text) {
    try {
      return Files.readString(jvm.log()).contains(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
