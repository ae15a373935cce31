/**
 * Node configuration: the validated, immutable {@link io.ringcache.node.config.NodeConfig} and
 * {@link io.ringcache.node.config.ConfigLoader}, which builds it from command-line flags,
 * {@code RINGCACHE_*} environment variables and a properties file, in that order of precedence.
 * The table of settings lives in one place ({@code Setting}); {@code docs/configuration.md} mirrors it.
 */
package io.ringcache.node.config;
