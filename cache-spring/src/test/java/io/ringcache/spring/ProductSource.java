package io.ringcache.spring;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The slow system of record behind {@link ProductCatalog} (a database, in a real application).
 * It counts every load per id, so a test can tell a value served from the cache from one loaded
 * again: that count is what caching is for.
 */
public class ProductSource {

  private final Map<String, Product> changed = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();

  /** The product {@code id}: as last saved or changed, else a name derived from the id. */
  public Product load(String id) {
    loads.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    return changed.getOrDefault(id, new Product(id, "product " + id, 100));
  }

  /** Stores {@code product}; later loads return it. */
  public void save(Product product) {
    changed.put(product.id(), product);
  }

  /** How often {@link #load} ran for {@code id}. */
  public int loads(String id) {
    AtomicInteger n = loads.get(id);
    return n == null ? 0 : n.get();
  }

  /** How often {@link #load} ran, all ids together. */
  public int totalLoads() {
    return loads.values().stream().mapToInt(AtomicInteger::get).sum();
  }
}
