package io.ringcache.node.snapshot;

import io.ringcache.node.snapshot.SnapshotFile.Entry;
import io.ringcache.node.snapshot.SnapshotFile.Header;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a {@link SnapshotFile} one block at a time, checking as it goes: every checksum, every
 * length against the bytes left in its block or file and against its bound, and the end record.
 * Any problem is a {@link SnapshotException} naming the file, the offset and what was expected.
 *
 * <p>{@link #verify} reads a whole file without keeping its entries, so a caller can refuse a
 * damaged file before it applies any entry; {@link #nextBlock} then reads the entries, checking
 * every block again (the file is not trusted to have stayed as it was).
 */
public final class SnapshotReader implements AutoCloseable {

  private static final int FIXED_HEADER = 8 + 4 + 8 + 8 + 8 + 2;
  private static final int END_RECORD = 8 + 8 + 4;

  private final Path file;
  private final FileChannel channel;
  private final long size;
  private final Header header;
  private long position;
  private long entries;
  private long blocks;
  private boolean ended;
  private ByteBuffer payload = ByteBuffer.allocate(SnapshotFile.BLOCK_BYTES);

  private SnapshotReader(Path file) {
    this.file = file;
    try {
      this.channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new SnapshotException("cannot read snapshot " + file + ": " + e, e);
    }
    try {
      this.size = channel.size();
      this.header = readHeader();
    } catch (IOException e) {
      closeQuietly();
      throw new SnapshotException("cannot read snapshot " + file + ": " + e, e);
    } catch (RuntimeException e) {
      closeQuietly();
      throw e;
    }
  }

  /** A whole file that passed {@link #verify}: who wrote it and what it holds. */
  public record Verified(Path file, Header header, long entries, long blocks, long bytes,
      long nanos) {
    /** Bytes checked per second, in MB/s. */
    public double megabytesPerSecond() {
      return nanos == 0 ? 0 : bytes / 1e6 / (nanos / 1e9);
    }
  }

  /**
   * The snapshot in {@code dir}, read and checked whole; empty when there is none.
   *
   * @throws SnapshotException when it exists but is damaged, truncated or unreadable
   */
  public static Optional<Verified> verify(Path dir) {
    Path file = dir.resolve(SnapshotFile.FILE_NAME);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    long began = System.nanoTime();
    try (SnapshotReader reader = new SnapshotReader(file)) {
      while (reader.readBlock(null)) {
        // Checked and counted; entries are not kept.
      }
      return Optional.of(new Verified(file, reader.header, reader.entries, reader.blocks,
          reader.size, System.nanoTime() - began));
    }
  }

  /** Opens {@code file} and reads its header. */
  public static SnapshotReader open(Path file) {
    return new SnapshotReader(file);
  }

  public Header header() {
    return header;
  }

  /** The entries of the next block, or null after the last one (the end record checked). */
  public List<Entry> nextBlock() {
    List<Entry> out = new ArrayList<>();
    return readBlock(out) ? out : null;
  }

  @Override
  public void close() {
    closeQuietly();
  }

  private void closeQuietly() {
    try {
      channel.close();
    } catch (IOException e) {
      // Read-only: nothing was lost.
    }
  }

  private Header readHeader() {
    ByteBuffer fixed = read(FIXED_HEADER, "the header");
    long magic = fixed.getLong();
    if (magic != SnapshotFile.MAGIC) {
      throw problem(0, String.format("is not a ringcache snapshot (magic %016x, expected %016x)",
          magic, SnapshotFile.MAGIC));
    }
    int version = fixed.getInt();
    if (version != SnapshotFile.FORMAT_VERSION) {
      throw problem(8, String.format("has format version %d; this release reads version %d",
          version, SnapshotFile.FORMAT_VERSION));
    }
    long writtenAt = fixed.getLong();
    long clusterId = fixed.getLong();
    long epoch = fixed.getLong();
    int nameLength = Short.toUnsignedInt(fixed.getShort());
    if (nameLength > SnapshotFile.MAX_NAME_BYTES) {
      throw problem(FIXED_HEADER - 2, String.format("names a node of %d bytes, at most %d",
          nameLength, SnapshotFile.MAX_NAME_BYTES));
    }
    ByteBuffer rest = read(nameLength + 4, "the header's node name and checksum");
    byte[] all = new byte[FIXED_HEADER + nameLength];
    System.arraycopy(fixed.array(), 0, all, 0, FIXED_HEADER);
    rest.get(all, FIXED_HEADER, nameLength);
    int stored = rest.getInt();
    if (stored != SnapshotFile.crc(all, 0, all.length)) {
      throw problem(0, "has a header whose checksum does not match");
    }
    String node = new String(all, FIXED_HEADER, nameLength, StandardCharsets.UTF_8);
    return new Header(node, writtenAt, clusterId, epoch);
  }

  /**
   * Reads and checks the next block, adding its entries to {@code out} (null: only check);
   * false at the end record.
   */
  private boolean readBlock(List<Entry> out) {
    if (ended) {
      return false;
    }
    long at = position;
    ByteBuffer frame = read(4, "a block's length");
    int length = frame.getInt();
    if (length == 0) {
      readEnd(at);
      return false;
    }
    if (length < 0 || length > SnapshotFile.MAX_BLOCK_BYTES) {
      throw problem(at, String.format("declares a block of %d bytes; a block holds 1..%d",
          length, SnapshotFile.MAX_BLOCK_BYTES));
    }
    if (size - position < 4L + length) {
      throw problem(at, String.format("declares a block of %d bytes but only %d bytes follow"
          + " (truncated)", length, size - position));
    }
    int stored = read(4, "a block's checksum").getInt();
    if (payload.capacity() < length) {
      payload = ByteBuffer.allocate(length);
    }
    payload.clear().limit(length);
    fill(payload, "a block");
    if (stored != SnapshotFile.crc(payload.array(), 0, length)) {
      throw problem(at, String.format("has a block of %d bytes whose checksum does not match",
          length));
    }
    payload.flip();
    parse(payload, at + 8, out);
    blocks++;
    return true;
  }

  private void parse(ByteBuffer b, long base, List<Entry> out) {
    while (b.hasRemaining()) {
      long at = base + b.position();
      if (b.remaining() < SnapshotFile.RECORD_OVERHEAD) {
        throw problem(at, String.format("has a record cut short: %d bytes left in its block,"
            + " a record takes at least %d", b.remaining(), SnapshotFile.RECORD_OVERHEAD));
      }
      byte flags = b.get();
      if (flags != 0 && flags != SnapshotFile.TOMBSTONE) {
        throw problem(at, "has a record with unknown flags " + flags);
      }
      boolean tombstone = flags == SnapshotFile.TOMBSTONE;
      int keyLength = b.getInt();
      if (keyLength < 1 || keyLength > SnapshotFile.MAX_KEY_BYTES
          || keyLength > b.remaining() - (SnapshotFile.RECORD_OVERHEAD - 5)) {
        throw problem(at, String.format("has a key of %d bytes; a key holds 1..%d and must fit"
            + " its block (%d bytes left)", keyLength, SnapshotFile.MAX_KEY_BYTES, b.remaining()));
      }
      byte[] key = null;
      if (out != null) {
        key = new byte[keyLength];
        b.get(key);
      } else {
        b.position(b.position() + keyLength);
      }
      long version = b.getLong();
      long expireAt = b.getLong();
      int valueLength = b.getInt();
      if (version <= 0 || expireAt < 0 || (tombstone && expireAt == 0)) {
        throw problem(at, String.format("has a record with version %d and deadline %d; versions"
            + " are positive, deadlines 0 (none, values only) or positive", version, expireAt));
      }
      if (valueLength < 0 || valueLength > SnapshotFile.MAX_VALUE_BYTES
          || valueLength > b.remaining() || (tombstone && valueLength != 0)) {
        throw problem(at, String.format("has a value of %d bytes; a value holds 0..%d and must"
            + " fit its block (%d bytes left), a tombstone none", valueLength,
            SnapshotFile.MAX_VALUE_BYTES, b.remaining()));
      }
      byte[] value = null;
      if (out != null && !tombstone) {
        value = new byte[valueLength];
        b.get(value);
      } else {
        b.position(b.position() + valueLength);
      }
      entries++;
      if (out != null) {
        out.add(new Entry(key, version, tombstone, expireAt, value));
      }
    }
  }

  private void readEnd(long at) {
    ByteBuffer end = read(END_RECORD, "the end record");
    long count = end.getLong();
    long blockCount = end.getLong();
    int stored = end.getInt();
    if (stored != SnapshotFile.crc(end.array(), 0, 16)) {
      throw problem(at, "has an end record whose checksum does not match");
    }
    if (count != entries || blockCount != blocks) {
      throw problem(at, String.format("ends claiming %d entries in %d blocks, but holds %d in"
          + " %d", count, blockCount, entries, blocks));
    }
    if (position != size) {
      throw problem(position, String.format("has %d bytes after its end record",
          size - position));
    }
    ended = true;
  }

  private ByteBuffer read(int length, String what) {
    ByteBuffer b = ByteBuffer.allocate(length);
    fill(b, what);
    return b.flip();
  }

  private void fill(ByteBuffer b, String what) {
    long at = position;
    try {
      while (b.hasRemaining()) {
        int n = channel.read(b, position);
        if (n < 0) {
          throw problem(at, String.format("ends inside %s: %d bytes expected, %d found"
              + " (truncated)", what, b.limit(), b.position()));
        }
        position += n;
      }
    } catch (IOException e) {
      throw new SnapshotException("cannot read snapshot " + file + " at offset " + at + ": "
          + e, e);
    }
  }

  private SnapshotException problem(long offset, String what) {
    return new SnapshotException("snapshot " + file + " " + what + " (at byte " + offset
        + " of " + size + ")");
  }
}
