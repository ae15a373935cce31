package io.ringcache.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.protocol.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PendingTableTest {

  /** A reply that only has an identity. */
  private static final class Named implements Reply {
    final int n;

    Named(int n) {
      this.n = n;
    }

    @Override
    public void answered(Response response) {}

    @Override
    public void failed(CacheException error, boolean maybeApplied) {}

    @Override
    public String toString() {
      return "reply-" + n;
    }
  }

  @Test
  void add_slotOfAWaitingRequest_skipsItsId_andBothAreFound() {
    PendingTable t = new PendingTable();
    Reply slow = new Named(0);
    int slowId = t.add(slow, 0);
    // Go once round the 64 slots with requests answered at once: the id that maps to the slow
    // request's slot must be skipped.
    List<Integer> ids = new ArrayList<>();
    for (int i = 1; i <= 64; i++) {
      Reply r = new Named(i);
      int id = t.add(r, 0);
      ids.add(id);
      assertThat(id).isNotEqualTo(slowId);
      assertThat(t.remove(id)).isSameAs(r);
    }
    assertThat(ids).doesNotHaveDuplicates().doesNotContain(slowId + 64);
    assertThat(t.remove(slowId)).isSameAs(slow);
    assertThat(t.size()).isZero();
  }

  @Test
  void remove_idWhoseSlotWasReused_findsNothing_andLeavesTheNewRequest() {
    PendingTable t = new PendingTable();
    int timedOut = t.add(new Named(0), 0);
    List<Reply> expired = new ArrayList<>();
    t.removeExpired(1, expired);
    assertThat(expired).hasSize(1);
    Reply later = null;
    int laterId = 0;
    for (int i = 1; i <= 64; i++) {
      Reply r = new Named(i);
      int id = t.add(r, 0);
      if ((id & 63) == (timedOut & 63)) {
        later = r;
        laterId = id;
        break;
      }
      t.remove(id);
    }
    assertThat(later).as("a request in the timed-out one's slot").isNotNull();
    assertThat(t.remove(timedOut)).as("late answer to the timed-out request").isNull();
    assertThat(t.remove(laterId)).isSameAs(later);
  }

  @Test
  void add_pastIntMax_wrapsToOne_neverZeroOrNegative() {
    PendingTable t = new PendingTable(Integer.MAX_VALUE - 1);
    assertThat(t.add(new Named(1), 0)).isEqualTo(Integer.MAX_VALUE - 1);
    assertThat(t.add(new Named(2), 0)).isEqualTo(Integer.MAX_VALUE);
    assertThat(t.add(new Named(3), 0)).isEqualTo(1);
  }

  @Test
  void add_manyWaiting_growsAndKeepsEveryOne() {
    PendingTable t = new PendingTable();
    Map<Integer, Reply> byId = new HashMap<>();
    for (int i = 0; i < 5_000; i++) {
      Reply r = new Named(i);
      assertThat(byId.put(t.add(r, 0), r)).isNull();
    }
    assertThat(t.size()).isEqualTo(5_000);
    byId.forEach((id, r) -> assertThat(t.remove(id)).isSameAs(r));
    assertThat(t.size()).isZero();
  }

  @Test
  void removeExpired_takesOnlyThosePastTheirDeadline() {
    PendingTable t = new PendingTable();
    Reply early = new Named(1);
    Reply late = new Named(2);
    t.add(early, 100);
    int lateId = t.add(late, 300);
    List<Reply> out = new ArrayList<>();
    t.removeExpired(200, out);
    assertThat(out).containsExactly(early);
    assertThat(t.size()).isEqualTo(1);
    assertThat(t.removeAll()).containsExactly(late);
    assertThat(t.remove(lateId)).isNull();
  }

  /** Random adds, answers and timeouts against a map: ids stay unique among waiting requests. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 0x5EED})
  void randomTraffic_matchesAMap(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    PendingTable t = new PendingTable(random.nextInt(1, Integer.MAX_VALUE));
    Map<Integer, Reply> model = new HashMap<>();
    List<Integer> waiting = new ArrayList<>();
    for (int step = 0; step < 50_000; step++) {
      if (waiting.isEmpty() || random.nextInt(100) < 52) {
        Reply r = new Named(step);
        int id = t.add(r, 0);
        assertThat(id).isPositive();
        assertThat(model.put(id, r)).as("id %d handed out twice", id).isNull();
        waiting.add(id);
      } else {
        int id = waiting.remove(random.nextInt(waiting.size()));
        assertThat(t.remove(id)).isSameAs(model.remove(id));
        assertThat(t.remove(id)).as("second answer to %d", id).isNull();
      }
      assertThat(t.size()).isEqualTo(model.size());
    }
  }
}
