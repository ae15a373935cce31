package io.ringcache.node.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The {@code data-dir} setting: the directory a node keeps its warm-restart snapshot in. Checked
 * when the configuration loads, by creating the directory if it is missing and writing (then
 * deleting) a probe file in it: a node that could not write its snapshot would only find out at
 * shutdown, when nobody is watching, so a wrong path or permission stops it before it joins.
 */
final class DataDir {

  private static final String PROBE = ".ringcache-write-probe";

  private DataDir() {}

  /** Why {@code text} cannot be the data directory, or null (also when empty: not set). */
  static String problem(String text) {
    if (text.isEmpty()) {
      return null;
    }
    Path dir;
    try {
      dir = Path.of(text);
    } catch (InvalidPathException e) {
      return String.format("'%s' is not a valid path: %s", text, e.getReason());
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      return String.format("'%s' exists and is not a directory", text);
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      return String.format("directory '%s' cannot be created (%s)", text, describe(e));
    }
    Path probe = dir.resolve(PROBE);
    try {
      Files.write(probe, new byte[] {1});
      Files.delete(probe);
    } catch (IOException e) {
      return String.format("directory '%s' is not writable by this process (%s); the node"
          + " writes its snapshot there on shutdown", text, describe(e));
    }
    return null;
  }

  private static String describe(IOException e) {
    return e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
