package io.ringcache.loadtest.cli;

import io.ringcache.protocol.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Every duration option of the loadtest ({@code --duration}, {@code --warmup}, {@code --lease},
 * {@code --load-time}) through the parser the node reads its settings with ({@link Durations}): a
 * whole number and a unit ({@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}). The loadtest once read a bare {@code 30}
 * as seconds where the node reads milliseconds; one parser ends that, and a bare number is
 * refused in both ({@code docs/configuration.md}, "Durations").
 *
 * <p>Failure: a value that does not parse becomes picocli's {@link TypeConversionException}, so
 * picocli names the option and {@link OneLineErrors} prints one line and exits 2, before any
 * cluster starts.
 */
final class DurationConverter implements ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }

  /** As the converter reads it back: {@code 10s}, {@code 500ms}. */
  static String format(Duration d) {
    return Durations.format(d);
  }
}
