/**
 * Peers for comparisons: {@link io.ringcache.loadtest.peer.HazelcastCluster} runs Hazelcast
 * members ({@link io.ringcache.loadtest.peer.HazelcastMemberMain}) as processes on 127.0.0.1 with
 * the JVM flags the ringcache nodes get, for {@link io.ringcache.loadtest.targets.HazelcastTarget}
 * to drive.
 */
package io.ringcache.loadtest.peer;
