package io.ringcache.node.config;

/**
 * A setting that cannot be used: malformed, out of range, or unknown. The message names the
 * setting as the operator wrote it ({@code --port}, {@code RINGCACHE_PORT}, a file key, or a
 * {@link NodeConfig} field), the allowed range or format, and the offending value (never a secret).
 */
public final class ConfigException extends IllegalArgumentException {

  ConfigException(String message) {
    super(message);
  }
}
