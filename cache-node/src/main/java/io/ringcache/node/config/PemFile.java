package io.ringcache.node.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks that a TLS setting names a readable PEM file of the right kind, so a wrong path or a
 * key in a format the TLS stack cannot use stops the node at start-up with the setting's name,
 * not at the first connection with a stack trace.
 */
enum PemFile {
  CERTIFICATES("certificate", "CERTIFICATE"),
  PRIVATE_KEY("private key", "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY");

  private final String what;
  private final String[] labels;

  PemFile(String what, String... labels) {
    this.what = what;
    this.labels = labels;
  }

  /** Why {@code path} is unusable, or {@code null} when it is fine or empty (not set). */
  String problem(String path) {
    if (path.isEmpty()) {
      return null;
    }
    String text;
    try {
      text = Files.readString(Path.of(path), StandardCharsets.ISO_8859_1);
    } catch (IOException | RuntimeException e) {
      return String.format("cannot read '%s' (%s)", path, e.getClass().getSimpleName());
    }
    if (this == PRIVATE_KEY && text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
      return String.format(
          "'%s' holds an encrypted private key; give an unencrypted PKCS#8 key (openssl pkcs8"
              + " -topk8 -nocrypt) in a file only the node's user can read", path);
    }
    for (String label : labels) {
      if (text.contains("-----BEGIN " + label + "-----")) {
        return null;
      }
    }
    return String.format("'%s' holds no PEM %s (-----BEGIN %s-----)", path, what, labels[0]);
  }
}
