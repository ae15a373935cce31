package io.ringcache.node.store;

/** Condition of a {@link LocalStore#set} on the key's current state. Tombstones count as absent. */
public enum SetMode {
  /** Write whatever the current state. */
  ALWAYS,
  /** Write only when no live value exists; otherwise {@link StoreStatus#EXISTS}. */
  IF_ABSENT,
  /** Write only when a live value exists; otherwise {@link StoreStatus#NOT_FOUND}. */
  IF_PRESENT
}
