/**
 * Systems under load behind one {@link io.ringcache.loadtest.targets.Target} contract: {@link
 * io.ringcache.loadtest.targets.RingcacheTarget} over the ringcache client and {@link
 * io.ringcache.loadtest.targets.HazelcastTarget} over the Hazelcast Java client, the peer the
 * comparison runs against. Both complete their futures on their client's own I/O threads.
 */
package io.ringcache.loadtest.targets;
