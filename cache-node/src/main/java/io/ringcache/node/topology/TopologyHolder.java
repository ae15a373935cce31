package io.ringcache.node.topology;

import io.ringcache.protocol.Topology;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The topology this node routes by. Installs only move forward: a topology with an epoch not
 * above the installed one is ignored, so announcements arriving out of order or twice are
 * harmless. Readers take one snapshot per request and route by it.
 *
 * <p>Thread-safe; listeners run on the installing thread and must not block.
 */
public final class TopologyHolder {

  private final AtomicReference<Topology> current;
  private final List<Consumer<Topology>> listeners = new CopyOnWriteArrayList<>();
  private volatile PartitionGuard guard = PartitionGuard.AVAILABLE;

  public TopologyHolder(int replicationFactor) {
    this.current = new AtomicReference<>(Topology.initial(replicationFactor));
  }

  public Topology current() {
    return current.get();
  }

  public long epoch() {
    return current.get().epoch();
  }

  /** Installs {@code next} if its epoch is higher than the installed one; returns whether it did. */
  public boolean install(Topology next) {
    Objects.requireNonNull(next, "next");
    while (true) {
      Topology now = current.get();
      if (next.epoch() <= now.epoch()) {
        return false;
      }
      if (current.compareAndSet(now, next)) {
        for (Consumer<Topology> listener : listeners) {
          listener.accept(next);
        }
        return true;
      }
    }
  }

  /**
   * Whether this node may act on its topology during a partition: every request path asks it
   * before a write. {@link PartitionGuard#AVAILABLE} until the node sets its own at start.
   */
  public PartitionGuard guard() {
    return guard;
  }

  /** Sets the guard {@link #guard()} returns; the node does so once, before it serves. */
  public void guardWith(PartitionGuard guard) {
    this.guard = Objects.requireNonNull(guard, "guard");
  }

  /** Calls {@code listener} with every topology installed from now on. */
  public void onInstall(Consumer<Topology> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }
}
