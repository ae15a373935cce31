package io.ringcache.loadtest.dsl;

import java.time.Duration;
import java.util.Objects;

/**
 * Something done to the cluster at an offset into the run: kill a node ({@code kill -9}), start
 * one, or drain one (graceful leave). Only data: the runner hands each step to a chaos handler
 * at its offset and records what the handler reports.
 *
 * <pre>{@code ChaosStep.at(Duration.ofSeconds(10)).kill("node-2")}</pre>
 */
public record ChaosStep(Duration at, Action action, String node) {

  /** What happens to the node; {@link #label()} is the event kind in reports. */
  public enum Action {
    KILL("kill"),
    START("start"),
    DRAIN("drain");

    private final String label;

    Action(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public ChaosStep {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(node, "node");
    if (at.isNegative() || at.compareTo(Injection.MAX_DURATION) > 0) {
      throw new IllegalArgumentException(String.format(
          "chaos step offset was %s, must be between 0 and %s", at, Injection.MAX_DURATION));
    }
    if (node.isBlank()) {
      throw new IllegalArgumentException("chaos step node name was blank");
    }
  }

  /** Starts a step at {@code offset} from the start of the run. */
  public static At at(Duration offset) {
    return new At(offset);
  }

  /** The offset half of a step, waiting for its action. */
  public record At(Duration offset) {

    public ChaosStep kill(String node) {
      return new ChaosStep(offset, Action.KILL, node);
    }

    public ChaosStep start(String node) {
      return new ChaosStep(offset, Action.START, node);
    }

    public ChaosStep drain(String node) {
      return new ChaosStep(offset, Action.DRAIN, node);
    }
  }

  @Override
  public String toString() {
    return action.label() + " " + node + " at " + at.toMillis() + " ms";
  }
}
