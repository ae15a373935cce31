/**
 * Placeholder until its issue lands; see the README module map.
 */
package io.ringcache.protocol;
