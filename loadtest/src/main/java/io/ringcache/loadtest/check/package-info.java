/**
 * {@link io.ringcache.loadtest.check.ConsistencyChecker}: records acknowledged writes and reads,
 * reports stale reads and lost writes.
 */
package io.ringcache.loadtest.check;
