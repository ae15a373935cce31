package io.ringcache.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.testing.TestCluster;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * Property: whatever the sizes of the values and of the batch, a getAll gets every value back.
 * The node refuses a multi-get whose answer would exceed one frame (it does not know sizes up
 * front either) and the client splits such batches until each answer fits.
 */
class BatchAnswersTest {

  private static TestCluster cluster;
  private static CacheClient client;

  @BeforeAll
  static void start() {
    cluster = new TestCluster(1).start(1);
    client = CacheClient.builder()
        .seeds("127.0.0.1:" + cluster.node(0).settings().server().port()).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    cluster.close();
  }

  @RepeatedTest(8)
  void getAll_ofRandomValueAndBatchSizes_returnsEveryValue(RepetitionInfo info) {
    SplittableRandom random = new SplittableRandom(1_000 + info.getCurrentRepetition());
    int count = 1 + random.nextInt(48);
    Map<String, byte[]> written = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      // Mostly small values, some close to the 1 MiB value limit, so batches straddle the frame
      // limit in many ways.
      int size = random.nextInt(4) == 0 ? 300_000 + random.nextInt(700_000) : random.nextInt(2_000);
      byte[] v = new byte[size];
      random.nextBytes(v);
      String key = "r" + info.getCurrentRepetition() + "-" + i;
      client.blocking().put(key, v);
      written.put(key, v);
    }
    Map<String, Versioned<byte[]>> read = client.blocking().getAll(written.keySet());
    assertThat(read.keySet()).containsExactlyInAnyOrderElementsOf(written.keySet());
    written.forEach((k, v) -> assertThat(Arrays.equals(read.get(k).value(), v))
        .as("value of %s (%d bytes)", k, v.length).isTrue());
  }
}
