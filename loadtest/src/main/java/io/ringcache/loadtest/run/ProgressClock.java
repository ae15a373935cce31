package io.ringcache.loadtest.run;

import java.util.Locale;

/**
 * How the console states time: {@code mm:ss} (or {@code h:mm:ss} from an hour), and for a run
 * {@code [00:12/00:30, ETA 00:18]}, elapsed of total and what is left. Whole seconds, rounded
 * down, because a line every few seconds needs no more; the ETA never goes below zero, since a
 * run past its duration is only draining the requests in flight.
 */
public final class ProgressClock {

  private ProgressClock() {}

  /** {@code [elapsed/total, ETA left]}; a negative input counts as zero. */
  public static String elapsedOfTotal(long elapsedMillis, long totalMillis) {
    long elapsed = Math.max(0, elapsedMillis);
    long total = Math.max(0, totalMillis);
    return "[" + time(elapsed) + "/" + time(total) + ", ETA " + time(Math.max(0, total - elapsed))
        + "]";
  }

  /** {@code 00:07}, {@code 12:34}, {@code 1:02:03}; a negative input counts as zero. */
  public static String time(long millis) {
    long seconds = Math.max(0, millis) / 1_000;
    long h = seconds / 3_600;
    long m = seconds / 60 % 60;
    long s = seconds % 60;
    return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s)
        : String.format(Locale.ROOT, "%02d:%02d", m, s);
  }
}
