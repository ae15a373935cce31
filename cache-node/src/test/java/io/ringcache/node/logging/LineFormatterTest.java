package io.ringcache.node.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LineFormatterTest {

  private final Logger logger = Logger.getLogger("io.ringcache.test.events");
  private LogRecord captured;

  @AfterEach
  void unbind() {
    NodeLog.bind("", () -> -1);
  }

  @Test
  void json_event_isOneObjectPerLineWithNodeEpochAndFields() {
    LogRecord r = event("topology.installed", "n1", 7, "installed\n\"epoch\" 7",
        "phase", "TRANSFER", "members", 3, "joined", List.of("n4"));
    String line = new LineFormatter(true).format(r);

    assertThat(line).endsWith(System.lineSeparator());
    assertThat(line.strip()).doesNotContain("\n");
    JsonObject json = new JsonObject(line);
    assertThat(json.getString("level")).isEqualTo("INFO");
    assertThat(json.getString("node")).isEqualTo("n1");
    assertThat(json.getLong("epoch")).isEqualTo(7);
    assertThat(json.getString("event")).isEqualTo("topology.installed");
    assertThat(json.getString("msg")).isEqualTo("installed\n\"epoch\" 7");
    assertThat(json.getString("phase")).isEqualTo("TRANSFER");
    assertThat(json.getInteger("members")).isEqualTo(3);
    assertThat(json.getJsonArray("joined").getList()).containsExactly("n4");
    assertThat(json.getString("ts")).isNotBlank();
  }

  @Test
  void json_plainRecord_takesTheBoundNodeAndEpochAndItsError() {
    NodeLog.bind("n2", () -> 42);
    LogRecord r = new LogRecord(Level.WARNING, "member {0} is slow");
    r.setLoggerName("com.hazelcast.Something");
    r.setParameters(new Object[] {"10.0.0.1"});
    r.setThrown(new IllegalStateException("boom\ttab"));

    JsonObject json = new JsonObject(new LineFormatter(true).format(r));

    assertThat(json.getString("node")).isEqualTo("n2");
    assertThat(json.getLong("epoch")).isEqualTo(42);
    assertThat(json.getString("level")).isEqualTo("WARN");
    assertThat(json.getString("msg")).isEqualTo("member 10.0.0.1 is slow");
    assertThat(json.getString("error")).startsWith("java.lang.IllegalStateException: boom\ttab");
    assertThat(json.containsKey("event")).isFalse();
  }

  @Test
  void json_beforeAnyTopology_epochIsNull() {
    LogRecord r = new LogRecord(Level.INFO, "starting");
    assertThat(new JsonObject(new LineFormatter(true).format(r)).getValue("epoch")).isNull();
  }

  @Test
  void text_event_isOneLineWithNodeEpochAndEventName() {
    LogRecord r = event("drain.started", "n3", 12, "node 'n3' drains\nnow");
    r.setThrown(new RuntimeException("x"));

    String line = new LineFormatter(false).format(r);

    assertThat(line.lines().count()).isEqualTo(1);
    assertThat(line).contains("INFO  n3 e12 drain.started node 'n3' drains \\n now | ")
        .contains("java.lang.RuntimeException: x");
  }

  @Test
  void levelName_usesOperatorNames() {
    assertThat(LineFormatter.levelName(Level.SEVERE)).isEqualTo("ERROR");
    assertThat(LineFormatter.levelName(Level.WARNING)).isEqualTo("WARN");
    assertThat(LineFormatter.levelName(Level.CONFIG)).isEqualTo("DEBUG");
    assertThat(LineFormatter.levelName(Level.FINE)).isEqualTo("DEBUG");
    assertThat(LineFormatter.levelName(Level.FINEST)).isEqualTo("TRACE");
  }

  @Test
  void quote_escapesControlCharacters() {
    StringBuilder out = new StringBuilder();
    LineFormatter.quote(out, "a\u0001b\\c");
    assertThat(out.toString()).isEqualTo("\"a\\u0001b\\\\c\"");
  }

  private LogRecord event(String name, String node, long epoch, String message, Object... fields) {
    java.util.logging.Handler capture = new java.util.logging.Handler() {
      @Override
      public void publish(LogRecord record) {
        captured = record;
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    logger.setUseParentHandlers(false);
    logger.addHandler(capture);
    try {
      NodeLog.event(logger, Level.INFO, name, node, epoch, message, fields);
    } finally {
      logger.removeHandler(capture);
    }
    return captured;
  }
}
