package io.ringcache.protocol;

/** When a SET applies. The numeric codes are part of the wire contract. */
public enum SetMode {
  /** Always store. */
  ALWAYS(0),
  /** Store only if the key is absent; otherwise answer {@link Status#EXISTS}. */
  IF_ABSENT(1),
  /** Store only if the key is present; otherwise answer {@link Status#NOT_FOUND}. */
  IF_PRESENT(2);

  private final int code;

  SetMode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The mode for {@code code}, or {@code null} when the code is not assigned. */
  public static SetMode fromCode(int code) {
    for (SetMode m : values()) {
      if (m.code == code) {
        return m;
      }
    }
    return null;
  }
}
