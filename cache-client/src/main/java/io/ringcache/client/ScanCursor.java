package io.ringcache.client;

/**
 * Where a {@link NamedCache#scan} stands: a ring position below which every range is done. Ring
 * positions do not depend on membership, so a cursor stays valid across any rebalance; it is
 * opaque to applications and may be kept as its {@link #toString} form.
 *
 * @param position every key at a position at or below it ({@code done} aside) was covered
 * @param started false only for {@link #START}
 */
public record ScanCursor(long position, boolean started) {

  /** The start of a scan. */
  public static final ScanCursor START = new ScanCursor(Long.MIN_VALUE, false);

  /** The cursor's text form, parseable by {@link #parse}. */
  @Override
  public String toString() {
    return started ? Long.toString(position) : "start";
  }

  /** The cursor written by {@link #toString}. */
  public static ScanCursor parse(String text) {
    if ("start".equals(text)) {
      return START;
    }
    try {
      return new ScanCursor(Long.parseLong(text), true);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("scan cursor '" + text + "' is neither 'start' nor a"
          + " ring position");
    }
  }
}
