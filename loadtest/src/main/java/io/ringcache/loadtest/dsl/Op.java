package io.ringcache.loadtest.dsl;

/** The operations a scenario mixes; {@link #label()} is the name reports use. */
public enum Op {
  GET("get"),
  PUT("put"),
  PUT_IF_ABSENT("putIfAbsent"),
  DELETE("delete"),
  GET_ALL("getAll");

  private final String label;

  Op(String label) {
    this.label = label;
  }

  /** The name in reports and in {@code RunResult.OpStats#op()}: {@code get}, {@code putIfAbsent}. */
  public String label() {
    return label;
  }
}
