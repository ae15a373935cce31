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

  /** Calls {@code listener} with every topology installed from now on. */
  public void onInstall(Consumer<Topology> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }
}
