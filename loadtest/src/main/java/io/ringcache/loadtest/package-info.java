/**
 * Load testing and failure testing of ringcache clusters. {@link
 * io.ringcache.loadtest.cluster.LocalCluster} runs real node processes on this machine; {@link
 * io.ringcache.loadtest.check.ConsistencyChecker} checks what clients saw against the read
 * promise. See {@code docs/launcher.md}.
 */
package io.ringcache.loadtest;
