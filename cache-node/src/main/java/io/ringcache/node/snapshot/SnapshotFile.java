package io.ringcache.node.snapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * The snapshot file of a warm restart: what a node held (values and tombstones, with their
 * versions and expiry deadlines), written on a graceful stop and read back at the next start.
 *
 * <h2>Format (version 1, big-endian)</h2>
 * <pre>
 *   header  magic "RINGSNAP" (8) | format version (4) | written at, epoch ms (8) | cluster id (8)
 *           | topology epoch (8) | node name length (2) + UTF-8 | CRC32C of the header (4)
 *   block*  payload length &gt; 0 (4) | CRC32C of the payload (4) | payload: records
 *   end     0 (4) | entries (8) | blocks (8) | CRC32C of entries and blocks (4), then end of file
 *   record  flags, 1 = tombstone (1) | key length (4) + key | version (8)
 *           | expires at, epoch ms, 0 = never (8) | value length (4) + value
 * </pre>
 * Deadlines are wall-clock milliseconds because the store's own deadlines are on a monotonic
 * ticker that means nothing in the next process. A block holds up to {@link #BLOCK_BYTES} of
 * records (a larger record gets a block of its own), so a reader needs one block in memory, not
 * the file, and a damaged block is caught by its own checksum.
 *
 * <h2>Failure</h2>
 * A file is written as {@value #TEMP_NAME}, forced to disk, renamed over {@value #FILE_NAME} (an
 * atomic rename on POSIX file systems) and the directory forced, so a crash mid-write leaves the
 * previous snapshot whole. A reader checks every checksum, every length against the bytes left
 * and its bound, and the end record's counts, before it reports the file valid ({@link
 * SnapshotReader#verify}); callers apply nothing of a file before that check passed.
 */
public final class SnapshotFile {

  /** Name of the snapshot in the data directory. */
  public static final String FILE_NAME = "snapshot";
  /** Name of a snapshot being written; never read. */
  public static final String TEMP_NAME = "snapshot.tmp";
  /** Where a snapshot found corrupt at start is moved, for inspection; the next one replaces it. */
  public static final String CORRUPT_NAME = "snapshot.corrupt";

  static final long MAGIC = 0x52494E47534E4150L;
  static final int FORMAT_VERSION = 1;
  /** Target payload of a block; a record larger than this is a block of its own. */
  static final int BLOCK_BYTES = 1 << 20;
  /** flags, key length, version, deadline, value length. */
  static final int RECORD_OVERHEAD = 1 + 4 + 8 + 8 + 4;
  /** The protocol's bounds ({@code max-key-bytes}, {@code max-value-bytes} at their maxima). */
  static final int MAX_KEY_BYTES = 65_535;
  static final int MAX_VALUE_BYTES = 512 << 20;
  static final int MAX_BLOCK_BYTES = RECORD_OVERHEAD + MAX_KEY_BYTES + MAX_VALUE_BYTES;
  static final int MAX_NAME_BYTES = 1024;
  static final byte TOMBSTONE = 1;

  private SnapshotFile() {}

  /**
   * Who wrote a snapshot and when.
   *
   * @param node the writer's member name
   * @param writtenAtMillis wall-clock time the write began
   * @param clusterId the cluster id of the writer's topology then (0: none yet); a start that
   *     finds the same id finds a cluster that kept running while this node was away
   * @param epoch the writer's topology epoch then
   */
  public record Header(String node, long writtenAtMillis, long clusterId, long epoch) {}

  /**
   * One stored entry.
   *
   * @param expireAtMillis wall-clock deadline, 0 for none (tombstones always have one)
   * @param value the value, null for a tombstone
   */
  public record Entry(byte[] key, long version, boolean tombstone, long expireAtMillis,
      byte[] value) {}

  /** Takes the entries to write, one call each, in any order. */
  public interface Sink {
    void put(byte[] key, long version, boolean tombstone, long expireAtMillis, byte[] value);
  }

  /** What a write produced. */
  public record Written(Path file, long entries, long bytes, long nanos) {
    /** Bytes written per second of the whole write (fsync and rename included), in MB/s. */
    public double megabytesPerSecond() {
      return nanos == 0 ? 0 : bytes / 1e6 / (nanos / 1e9);
    }
  }

  /**
   * Writes a snapshot of what {@code source} puts into its sink to {@code dir}, replacing the
   * previous one only once the new one is on disk whole.
   *
   * @throws IOException naming the file and the step that failed (the cause attached) when the
   *     file cannot be written; the previous snapshot is untouched and the temp file removed
   */
  public static Written write(Path dir, Header header, Consumer<Sink> source) throws IOException {
    long began = System.nanoTime();
    Path temp = dir.resolve(TEMP_NAME);
    Path target = dir.resolve(FILE_NAME);
    BlockWriter writer;
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      writer = new BlockWriter(channel);
      writer.header(header);
      try {
        source.accept(writer);
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      writer.finish();
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      IOException failed = new IOException("cannot write snapshot " + temp + " (" + e + ")", e);
      try {
        Files.deleteIfExists(temp);
      } catch (IOException cleanup) {
        failed.addSuppressed(cleanup);
      }
      throw failed;
    }
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new IOException("cannot rename snapshot " + temp + " to " + target + " (" + e + ")",
          e);
    }
    forceDirectory(dir);
    return new Written(target, writer.entries, writer.bytes, System.nanoTime() - began);
  }

  /** Makes the rename durable; file systems that cannot open a directory for it are skipped. */
  private static void forceDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows cannot open a directory as a channel; its rename is as durable as it gets.
    }
  }

  /** Header bytes, CRC included. */
  static ByteBuffer encodeHeader(Header header) {
    byte[] name = header.node().getBytes(StandardCharsets.UTF_8);
    if (name.length > MAX_NAME_BYTES) {
      throw new IllegalArgumentException(String.format(
          "node name is %d bytes in UTF-8, a snapshot holds at most %d", name.length,
          MAX_NAME_BYTES));
    }
    ByteBuffer b = ByteBuffer.allocate(8 + 4 + 8 + 8 + 8 + 2 + name.length + 4);
    b.putLong(MAGIC).putInt(FORMAT_VERSION).putLong(header.writtenAtMillis())
        .putLong(header.clusterId()).putLong(header.epoch()).putShort((short) name.length)
        .put(name);
    b.putInt(crc(b.array(), 0, b.position()));
    return b.flip();
  }

  static int crc(byte[] bytes, int from, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, from, length);
    return (int) crc.getValue();
  }

  /** Fills blocks of records and writes each with its length and checksum. */
  private static final class BlockWriter implements Sink {
    private final FileChannel channel;
    private final ByteBuffer block = ByteBuffer.allocate(BLOCK_BYTES);
    private final ByteBuffer frame = ByteBuffer.allocate(8);
    long entries;
    long blocks;
    long bytes;

    BlockWriter(FileChannel channel) {
      this.channel = channel;
    }

    void header(Header header) throws IOException {
      writeFully(encodeHeader(header));
    }

    @Override
    public void put(byte[] key, long version, boolean tombstone, long expireAtMillis,
        byte[] value) {
      int valueLength = tombstone ? 0 : value.length;
      int size = RECORD_OVERHEAD + key.length + valueLength;
      try {
        if (size > block.remaining() && block.position() > 0) {
          flush(block);
        }
        ByteBuffer into = size <= block.remaining() ? block : ByteBuffer.allocate(size);
        into.put(tombstone ? TOMBSTONE : 0).putInt(key.length).put(key).putLong(version)
            .putLong(expireAtMillis).putInt(valueLength);
        if (!tombstone) {
          into.put(value);
        }
        if (into != block) {
          flush(into);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      entries++;
    }

    private void flush(ByteBuffer payload) throws IOException {
      int length = payload.position();
      frame.clear();
      frame.putInt(length).putInt(crc(payload.array(), 0, length)).flip();
      writeFully(frame);
      payload.flip();
      writeFully(payload);
      payload.clear();
      blocks++;
    }

    void finish() throws IOException {
      if (block.position() > 0) {
        flush(block);
      }
      ByteBuffer end = ByteBuffer.allocate(4 + 8 + 8 + 4);
      end.putInt(0).putLong(entries).putLong(blocks);
      end.putInt(crc(end.array(), 4, 16));
      writeFully(end.flip());
    }

    private void writeFully(ByteBuffer b) throws IOException {
      while (b.hasRemaining()) {
        bytes += channel.write(b);
      }
    }
  }
}
