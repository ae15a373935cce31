package io.ringcache.loadtest.targets;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Reads through one target and writes through another, both over the same cluster: how a
 * staleness check sees a near cache from outside. A client's own writes update its near cache at
 * once, so only writes from another client exercise the invalidations a near cache relies on;
 * here every read goes through {@code reader} (with its near cache) and every write and delete
 * through {@code writer}.
 *
 * <p>{@link #close()} closes both.
 */
public final class SplitTarget implements Target {

  private final String name;
  private final Target reader;
  private final Target writer;

  private SplitTarget(String name, Target reader, Target writer) {
    this.name = Objects.requireNonNull(name, "name");
    this.reader = Objects.requireNonNull(reader, "reader");
    this.writer = Objects.requireNonNull(writer, "writer");
    if (reader == writer) {
      throw new IllegalArgumentException("reader and writer must be two targets, not one");
    }
  }

  /** Reads ({@code get}, {@code getAll}) through {@code reader}, the rest through {@code writer}. */
  public static SplitTarget of(String name, Target reader, Target writer) {
    return new SplitTarget(name, reader, writer);
  }

  /** The target reads go through. */
  public Target reader() {
    return reader;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CompletableFuture<Read> get(String key) {
    return reader.get(key);
  }

  @Override
  public CompletableFuture<Map<String, Read>> getAll(List<String> keys) {
    return reader.getAll(keys);
  }

  @Override
  public CompletableFuture<Long> put(String key, byte[] value) {
    return writer.put(key, value);
  }

  @Override
  public CompletableFuture<Boolean> putIfAbsent(String key, byte[] value) {
    return writer.putIfAbsent(key, value);
  }

  @Override
  public CompletableFuture<Boolean> delete(String key) {
    return writer.delete(key);
  }

  @Override
  public void close() {
    try {
      reader.close();
    } finally {
      writer.close();
    }
  }
}
