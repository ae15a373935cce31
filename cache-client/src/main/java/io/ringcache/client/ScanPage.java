package io.ringcache.client;

import java.util.List;
import java.util.Map;

/**
 * One page of a {@link NamedCache#scan} over a cache: entries and the cursor to continue from.
 *
 * <p>A key present for the whole scan appears exactly once: each page covers the ring positions
 * after the previous page's last one, whichever node serves it.
 *
 * @param entries the page's entries, in no particular order
 * @param next where to continue, or null when the scan is complete
 */
public record ScanPage<V>(List<Map.Entry<String, Versioned<V>>> entries, ScanCursor next) {
  public ScanPage {
    entries = List.copyOf(entries);
  }
}
