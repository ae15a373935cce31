package io.ringcache.node.config;

/** How many write owners must apply a write before the coordinating owner acknowledges it. */
public enum WriteAcks {
  /** Every owner in the write set; a replica that times out fails the write (the default). */
  ALL,
  /** The coordinating owner only; replicas are updated asynchronously. */
  ONE
}
