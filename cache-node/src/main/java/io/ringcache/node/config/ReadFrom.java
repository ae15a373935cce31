package io.ringcache.node.config;

/** Which owner of a key serves reads. */
public enum ReadFrom {
  /** The first owner in the read ring (the default): never older than the last acknowledged write. */
  PRIMARY,
  /** Any owner; spreads read load but may return a value a replica has not yet received. */
  ANY
}
