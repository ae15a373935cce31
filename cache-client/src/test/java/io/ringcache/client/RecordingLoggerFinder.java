package io.ringcache.client;

import java.text.MessageFormat;
import java.util.List;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * The test JVM's {@link System.LoggerFinder}, installed through {@code META-INF/services} as an
 * application's logging backend would be: it records every line a ringcache logger writes, so a
 * test can check that the client's lines reach the backend, and passes every line on to
 * {@code java.util.logging} as the JDK's default finder does, so test output stays as it was.
 *
 * <p>Concurrency: lines arrive on any thread; {@link #LINES} is a copy-on-write list, read by
 * tests after the logging call returned.
 */
public final class RecordingLoggerFinder extends System.LoggerFinder {

  /** One recorded line, its message formatted; {@code thrown} is null when none was logged. */
  record Line(String logger, System.Logger.Level level, String message, Throwable thrown) {}

  private static final List<Line> LINES = new CopyOnWriteArrayList<>();

  /** The lines recorded so far that match {@code filter}. */
  static List<Line> lines(Predicate<Line> filter) {
    return LINES.stream().filter(filter).toList();
  }

  @Override
  public System.Logger getLogger(String name, Module module) {
    return new Recording(name, Logger.getLogger(name));
  }

  /** Records ringcache's lines, and forwards all of them to the JUL logger of the same name. */
  private static final class Recording implements System.Logger {
    private final String name;
    private final Logger jul;

    Recording(String name, Logger jul) {
      this.name = name;
      this.jul = jul;
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public boolean isLoggable(Level level) {
      // Recorded at every level, whatever JUL would print.
      return level != Level.OFF;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      record(level, msg, thrown);
      jul.log(julLevel(level), msg, thrown);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      String msg = params == null || params.length == 0 ? format
          : MessageFormat.format(format, params);
      record(level, msg, null);
      jul.log(julLevel(level), msg);
    }

    private void record(Level level, String msg, Throwable thrown) {
      if (name.startsWith("io.ringcache.")) {
        LINES.add(new Line(name, level, Objects.toString(msg), thrown));
      }
    }

    private static java.util.logging.Level julLevel(Level level) {
      return switch (level) {
        case ALL -> java.util.logging.Level.ALL;
        case TRACE -> java.util.logging.Level.FINER;
        case DEBUG -> java.util.logging.Level.FINE;
        case INFO -> java.util.logging.Level.INFO;
        case WARNING -> java.util.logging.Level.WARNING;
        case ERROR -> java.util.logging.Level.SEVERE;
        case OFF -> java.util.logging.Level.OFF;
      };
    }
  }
}
