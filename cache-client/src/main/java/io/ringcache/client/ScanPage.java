package io.ringcache.client;

import java.util.List;
import java.util.Map;

/**
 * One page of a {@link NamedCache#scan} over a cache: entries and the cursor to continue from.
 *
 * <p>A key present for the whole scan appears at least once; a rebalance during the scan can
 * show a key twice (in two pages), which {@link NamedCache#entries} removes.
 *
 * @param entries the page's entries, in no particular order
 * @param next where to continue, or null when the scan is complete
 */
public record ScanPage<V>(List<Map.Entry<String, Versioned<V>>> entries, ScanCursor next) {
  public ScanPage {
    entries = List.copyOf(entries);
  }
}
