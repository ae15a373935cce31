package io.ringcache.loadtest.targets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The round trips every {@link Target} must pass, on keys no other test uses. */
final class RoundTrips {

  private RoundTrips() {}

  /**
   * put, get, putIfAbsent on a present and an absent key, delete twice, getAll with a missing
   * and a repeated key. Returns the version {@code put} reported for the first key.
   */
  static long check(Target target) throws Exception {
    String prefix = "rt-" + UUID.randomUUID() + "-";
    String a = prefix + "a";
    String b = prefix + "b";
    String missing = prefix + "missing";

    assertThat(await(target.get(a))).as("get of a key never written").isNull();

    long version = await(target.put(a, bytes("one")));
    Target.Read read = await(target.get(a));
    assertThat(read).isNotNull();
    assertThat(text(read.value())).isEqualTo("one");
    assertThat(read.version()).isEqualTo(version);

    assertThat(await(target.putIfAbsent(a, bytes("two")))).as("putIfAbsent on a present key")
        .isFalse();
    assertThat(text(await(target.get(a)).value())).isEqualTo("one");
    assertThat(await(target.putIfAbsent(b, bytes("bee")))).as("putIfAbsent on an absent key")
        .isTrue();
    assertThat(text(await(target.get(b)).value())).isEqualTo("bee");

    Map<String, Target.Read> all = await(target.getAll(List.of(a, missing, b, a)));
    assertThat(all).containsOnlyKeys(a, b);
    assertThat(text(all.get(a).value())).isEqualTo("one");
    assertThat(text(all.get(b).value())).isEqualTo("bee");
    assertThat(await(target.getAll(List.of()))).isEmpty();

    assertThat(await(target.delete(a))).as("delete of a present key").isTrue();
    assertThat(await(target.get(a))).as("get after delete").isNull();
    assertThat(await(target.delete(a))).as("delete of an absent key").isFalse();
    assertThat(await(target.getAll(List.of(a, b)))).containsOnlyKeys(b);
    return version;
  }

  static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(30, TimeUnit.SECONDS);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
