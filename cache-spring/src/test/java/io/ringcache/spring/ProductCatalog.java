package io.ringcache.spring;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;

/**
 * The service an application caches: Spring's annotations put its answers in the ringcache
 * cache {@value #CACHE}, shared by every instance of the application.
 */
public class ProductCatalog {

  public static final String CACHE = "products";

  private final ProductSource source;

  public ProductCatalog(ProductSource source) {
    this.source = source;
  }

  /** Served from the cache when present; loaded from the source (and cached) otherwise. */
  @Cacheable(CACHE)
  public Product product(String id) {
    return source.load(id);
  }

  /** Saves {@code product} and puts it in the cache, so the next {@link #product} returns it. */
  @CachePut(cacheNames = CACHE, key = "#product.id()")
  public Product update(Product product) {
    source.save(product);
    return product;
  }

  /** Drops {@code id} from the cache: the next {@link #product} loads it again. */
  @CacheEvict(CACHE)
  public void forget(String id) {
  }

  /** Drops every product from the cache (every instance's view, as the cache is shared). */
  @CacheEvict(cacheNames = CACHE, allEntries = true)
  public void forgetAll() {
  }
}
