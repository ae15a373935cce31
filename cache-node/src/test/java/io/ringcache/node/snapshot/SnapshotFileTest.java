package io.ringcache.node.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.node.snapshot.SnapshotFile.Entry;
import io.ringcache.node.snapshot.SnapshotFile.Header;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The snapshot file round-trips every kind of entry, and every kind of damage (a flipped bit
 * anywhere, a cut anywhere, bytes appended) is caught by {@link SnapshotReader#verify} before any
 * entry is handed out.
 */
class SnapshotFileTest {

  private static final Header HEADER = new Header("node-a", 1_700_000_000_000L, 0x1234L, 42);

  @TempDir Path dir;

  @Test
  void write_thenRead_returnsEveryEntryWithVersionDeadlineAndTombstone() throws IOException {
    List<Entry> entries = entries(5_000, 7);
    SnapshotFile.Written w = write(entries);
    assertThat(w.entries()).isEqualTo(entries.size());
    assertThat(w.bytes()).isEqualTo(Files.size(dir.resolve(SnapshotFile.FILE_NAME)));
    assertThat(dir.resolve(SnapshotFile.TEMP_NAME)).doesNotExist();

    SnapshotReader.Verified v = SnapshotReader.verify(dir).orElseThrow();
    assertThat(v.header()).isEqualTo(HEADER);
    assertThat(v.entries()).isEqualTo(entries.size());
    assertThat(v.blocks()).isGreaterThan(1);
    List<Entry> back = readAll();
    assertThat(back).hasSize(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      Entry a = entries.get(i);
      Entry b = back.get(i);
      assertThat(b.key()).isEqualTo(a.key());
      assertThat(b.version()).isEqualTo(a.version());
      assertThat(b.tombstone()).isEqualTo(a.tombstone());
      assertThat(b.expireAtMillis()).isEqualTo(a.expireAtMillis());
      assertThat(b.value()).isEqualTo(a.value());
    }
  }

  @Test
  void recordLargerThanABlock_getsABlockOfItsOwn() throws IOException {
    byte[] big = new byte[SnapshotFile.BLOCK_BYTES + 10];
    new SplittableRandom(3).nextBytes(big);
    List<Entry> entries = List.of(value("small", 1, new byte[] {1}), value("big", 2, big),
        value("after", 3, new byte[] {2}));
    write(entries);
    assertThat(SnapshotReader.verify(dir).orElseThrow().blocks()).isEqualTo(3);
    assertThat(readAll()).extracting(e -> e.value().length).containsExactly(1, big.length, 1);
  }

  @Test
  void noFile_isEmpty_andAnEmptyStoreWritesAValidSnapshot() throws IOException {
    assertThat(SnapshotReader.verify(dir)).isEmpty();
    write(List.of());
    assertThat(SnapshotReader.verify(dir).orElseThrow().entries()).isZero();
    assertThat(readAll()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 9, 40, 55, 60, 70, 5_000, 60_000, -30, -9, -1})
  void flippedByte_anywhere_failsVerification(int at) throws IOException {
    write(entries(2_000, 11));
    Path file = dir.resolve(SnapshotFile.FILE_NAME);
    byte[] bytes = Files.readAllBytes(file);
    int index = at >= 0 ? at : bytes.length + at;
    bytes[index] ^= 0x10;
    Files.write(file, bytes);
    assertThatThrownBy(() -> SnapshotReader.verify(dir))
        .isInstanceOf(SnapshotException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void flippedBit_atSeededPositions_isAlwaysCaught() throws IOException {
    write(entries(3_000, 13));
    Path file = dir.resolve(SnapshotFile.FILE_NAME);
    byte[] clean = Files.readAllBytes(file);
    SplittableRandom random = new SplittableRandom(17);
    for (int i = 0; i < 200; i++) {
      byte[] bytes = clean.clone();
      int index = random.nextInt(bytes.length);
      bytes[index] ^= (byte) (1 << random.nextInt(8));
      Files.write(file, bytes);
      assertThatThrownBy(() -> SnapshotReader.verify(dir))
          .as("bit flipped at byte %d", index)
          .isInstanceOf(SnapshotException.class);
    }
  }

  @Test
  void truncated_atSeededLengths_isAlwaysCaught_withTheWordTruncatedWhereALengthPointsPastTheEnd()
      throws IOException {
    write(entries(3_000, 19));
    Path file = dir.resolve(SnapshotFile.FILE_NAME);
    byte[] clean = Files.readAllBytes(file);
    SplittableRandom random = new SplittableRandom(23);
    for (int i = 0; i < 100; i++) {
      int length = random.nextInt(clean.length);
      Files.write(file, java.util.Arrays.copyOf(clean, length));
      assertThatThrownBy(() -> SnapshotReader.verify(dir))
          .as("cut to %d of %d bytes", length, clean.length)
          .isInstanceOf(SnapshotException.class);
    }
    Files.write(file, java.util.Arrays.copyOf(clean, clean.length - 100));
    assertThatThrownBy(() -> SnapshotReader.verify(dir)).hasMessageContaining("truncated");
  }

  @Test
  void bytesAfterTheEndRecord_failVerification() throws IOException {
    write(entries(10, 29));
    Path file = dir.resolve(SnapshotFile.FILE_NAME);
    Files.write(file, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
    assertThatThrownBy(() -> SnapshotReader.verify(dir))
        .hasMessageContaining("1 bytes after its end record");
  }

  @Test
  void otherFileOrFormat_isNamedInTheError() throws IOException {
    Path file = dir.resolve(SnapshotFile.FILE_NAME);
    Files.writeString(file, "this is not a snapshot, but long enough for a header");
    assertThatThrownBy(() -> SnapshotReader.verify(dir))
        .hasMessageContaining("is not a ringcache snapshot");
    write(entries(1, 31));
    byte[] bytes = Files.readAllBytes(file);
    bytes[11] = 9;
    Files.write(file, bytes);
    assertThatThrownBy(() -> SnapshotReader.verify(dir))
        .hasMessageContaining("format version 9; this release reads version 1");
  }

  @Test
  void failedWrite_keepsThePreviousSnapshot() throws IOException {
    write(entries(100, 37));
    byte[] before = Files.readAllBytes(dir.resolve(SnapshotFile.FILE_NAME));
    assertThatThrownBy(() -> SnapshotFile.write(dir, HEADER, sink -> {
      sink.put(bytes("k"), 1, false, 0, new byte[] {1});
      throw new IllegalStateException("store scan failed");
    })).isInstanceOf(IOException.class)
        .hasMessageContaining("cannot write snapshot " + dir.resolve(SnapshotFile.TEMP_NAME))
        .hasMessageContaining("store scan failed")
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(Files.readAllBytes(dir.resolve(SnapshotFile.FILE_NAME))).isEqualTo(before);
    assertThat(dir.resolve(SnapshotFile.TEMP_NAME)).doesNotExist();
  }

  @Test
  void write_intoAMissingDirectory_failsNamingTheFileAndTheCause() {
    Path missing = dir.resolve("gone");
    assertThatThrownBy(() -> SnapshotFile.write(missing, HEADER, sink -> { }))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(missing.resolve(SnapshotFile.TEMP_NAME).toString())
        .hasMessageContaining("NoSuchFileException");
    assertThat(missing).doesNotExist();
  }

  private SnapshotFile.Written write(List<Entry> entries) throws IOException {
    return SnapshotFile.write(dir, HEADER, sink -> entries.forEach(e ->
        sink.put(e.key(), e.version(), e.tombstone(), e.expireAtMillis(), e.value())));
  }

  private List<Entry> readAll() {
    List<Entry> out = new ArrayList<>();
    try (SnapshotReader reader = SnapshotReader.open(dir.resolve(SnapshotFile.FILE_NAME))) {
      for (List<Entry> block = reader.nextBlock(); block != null; block = reader.nextBlock()) {
        out.addAll(block);
      }
    }
    return out;
  }

  /** Values with and without deadlines, tombstones, keys short and long, seeded. */
  private static List<Entry> entries(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Entry> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] key = bytes("key-" + i + "-" + "x".repeat(random.nextInt(40)));
      long version = 1 + random.nextLong(Long.MAX_VALUE - 1);
      if (random.nextInt(10) == 0) {
        out.add(new Entry(key, version, true, 1_700_000_060_000L + i, null));
      } else {
        byte[] value = new byte[random.nextInt(600)];
        random.nextBytes(value);
        long deadline = random.nextBoolean() ? 0 : 1_700_000_000_000L + random.nextInt(1 << 30);
        out.add(new Entry(key, version, false, deadline, value));
      }
    }
    return out;
  }

  private static Entry value(String key, long version, byte[] value) {
    return new Entry(bytes(key), version, false, 0, value);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
