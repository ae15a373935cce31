/**
 * The node's log lines: one-line text or JSON records with node, epoch and event fields ({@link
 * io.ringcache.node.logging.NodeLog}, {@link io.ringcache.node.logging.LineFormatter}), their
 * format and level ({@link io.ringcache.node.logging.LogFormat}, {@link
 * io.ringcache.node.logging.LogLevel}), and the throttle for repeated events.
 *
 * <p>Floor: the ground floor; it depends on no other {@code io.ringcache.node} package, so every
 * package may log. {@code LogFormat} and {@code LogLevel} live here rather than in {@code
 * node.config}, which parses them: the settings sit above what they configure. {@code
 * PackageCyclesTest} fails on any dependency that points back up.
 */
package io.ringcache.node.logging;
