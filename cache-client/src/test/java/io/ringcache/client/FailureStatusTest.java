package io.ringcache.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.protocol.Status;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The client's failure vocabulary: pinned codes and names, and a meaning for every wire status. */
class FailureStatusTest {

  /** docs/client.md, "Failure statuses": published once, never renumbered or reused. */
  private static final Map<String, Integer> PUBLISHED = published();

  private static Map<String, Integer> published() {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("NOT_FOUND", 1);
    m.put("EXISTS", 2);
    m.put("VERSION_MISMATCH", 3);
    m.put("KEY_TOO_LARGE", 4);
    m.put("VALUE_TOO_LARGE", 5);
    m.put("BAD_REQUEST", 6);
    m.put("UNKNOWN_OP", 7);
    m.put("AUTH_FAILED", 8);
    m.put("UNAVAILABLE", 9);
    m.put("TIMEOUT", 10);
    m.put("BUSY", 11);
    m.put("INTERNAL", 12);
    m.put("FRAME_TOO_LARGE", 13);
    m.put("FORBIDDEN", 14);
    m.put("CLOCK_OFFSET", 15);
    m.put("NO_SUCH_CACHE", 16);
    m.put("NO_QUORUM", 17);
    m.put("LAYOUT_CHANGING", 18);
    return m;
  }

  @Test
  void codesAndNames_areThePublishedOnes() {
    Map<String, Integer> actual = Arrays.stream(FailureStatus.values())
        .collect(Collectors.toMap(FailureStatus::name, FailureStatus::code, (a, b) -> a,
            LinkedHashMap::new));
    assertThat(actual).containsExactlyEntriesOf(PUBLISHED);
  }

  /** The routing answers collapse into one status; OK and STALE cannot describe a failed call. */
  @ParameterizedTest
  @EnumSource(Status.class)
  void everyProtocolStatus_hasTheDocumentedClientStatus(Status s) {
    Set<Status> routing = EnumSet.of(Status.NOT_OWNER, Status.WRONG_EPOCH, Status.NOT_PRIMARY);
    FailureStatus expected = routing.contains(s) ? FailureStatus.LAYOUT_CHANGING
        : s == Status.OK || s == Status.STALE ? FailureStatus.INTERNAL
        : FailureStatus.valueOf(s.name());
    assertThat(FailureStatus.of(s)).isEqualTo(expected);
    assertThat(Errors.of(s, "why").status()).isEqualTo(expected);
  }

  @Test
  void subclassesWithoutStatusArgument_reportTheirOwn() {
    assertThat(new CacheTimeoutException("t").status()).isEqualTo(FailureStatus.TIMEOUT);
    assertThat(new CacheNoQuorumException("q").status()).isEqualTo(FailureStatus.NO_QUORUM);
    assertThat(new CacheClosedException("c").status()).isEqualTo(FailureStatus.UNAVAILABLE);
    assertThat(new CacheOverloadedException("o").status()).isEqualTo(FailureStatus.BUSY);
  }
}
