package io.ringcache.jcache;

import java.util.function.Function;
import javax.cache.processor.MutableEntry;

/**
 * The entry an {@code EntryProcessor} sees (JSR-107 "Entry Processors"): a private snapshot of the key's
 * value as read, on which {@code getValue}, {@code setValue} and {@code remove} only record what
 * the processor wants; the cache applies it afterwards with a version-conditional write, and runs
 * the processor again if another write came in between.
 *
 * <p>{@link #op()} is the net effect, as the reference implementation computes it: a value set
 * and then removed in one call, on an entry that did not exist, is no change at all.
 */
final class ProcessorEntry<K, V> implements MutableEntry<K, V> {

  /** What applying the processor's work does to the entry. */
  enum Op {
    NONE, ACCESS, LOAD, CREATE, UPDATE, REMOVE
  }

  private final K key;
  private final Store.Hit<V> current;
  private final Function<K, V> loader;
  private V value;
  private Op op = Op.NONE;

  /**
   * @param current what the cluster holds, or null
   * @param loader read-through for {@link #getValue} on an absent entry, or null
   */
  ProcessorEntry(K key, Store.Hit<V> current, Function<K, V> loader) {
    this.key = key;
    this.current = current;
    this.loader = loader;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    if (op == Op.NONE) {
      if (current != null && value == null) {
        value = current.value();
        op = Op.ACCESS;
      }
    }
    if (value == null && op != Op.REMOVE && loader != null) {
      V loaded = loader.apply(key);
      if (loaded != null) {
        value = loaded;
        op = Op.LOAD;
      }
    }
    return value;
  }

  @Override
  public boolean exists() {
    if (op == Op.NONE) {
      return current != null;
    }
    return value != null;
  }

  @Override
  public void remove() {
    op = (op == Op.CREATE || op == Op.LOAD) ? Op.NONE : Op.REMOVE;
    value = null;
  }

  @Override
  public void setValue(V newValue) {
    if (newValue == null) {
      throw new NullPointerException("EntryProcessor set a null value for key " + key);
    }
    op = current == null ? Op.CREATE : Op.UPDATE;
    value = newValue;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("a MutableEntry cannot be unwrapped to " + clazz.getName());
  }

  Op op() {
    return op;
  }

  V value() {
    return value;
  }

  Store.Hit<V> current() {
    return current;
  }
}
