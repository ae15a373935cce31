package io.ringcache.client;

import java.util.ArrayList;
import java.util.List;

/**
 * The requests of one {@link Connection} that wait for an answer, by request id.
 *
 * <h2>Design</h2>
 * The table chooses the ids: a request's slot is {@code id & mask}, and {@link #add} takes the
 * next id (counting up, skipping 0 and negative ids) whose slot is free. So an id is unique
 * among the waiting requests, an answer finds its request with one array read, and the table
 * neither boxes ids nor allocates per request (a {@code ConcurrentHashMap<Integer, ...>} cost
 * a node, an {@code Integer} and a record per call, and its put, remove and
 * {@code Integer.equals} were about an eighth of the client's CPU in a profile of
 * {@code ClientBench}). An answer whose id does not match its slot's (a request that timed out
 * and whose slot was reused) finds nothing and is dropped, as before.
 *
 * <p>The table stays at most half full, doubling when it would not; a doubled mask keeps
 * distinct slots distinct, so growing moves entries without collisions. It does not shrink: its
 * size follows the peak number of waiting requests, which {@code maxPendingRequests} bounds.
 *
 * <h2>Concurrency</h2>
 * Not thread-safe: the connection calls it under its lock and delivers outcomes outside it.
 */
final class PendingTable {

  private static final int INITIAL_CAPACITY = 64;

  private int[] ids = new int[INITIAL_CAPACITY];
  private Reply[] replies = new Reply[INITIAL_CAPACITY];
  private long[] deadlines = new long[INITIAL_CAPACITY];
  private int mask = INITIAL_CAPACITY - 1;
  private int count;
  private int nextId;

  PendingTable() {
    this(1);
  }

  /** A table whose first id is {@code firstId} (tests start near the wrap). */
  PendingTable(int firstId) {
    this.nextId = firstId;
  }

  int size() {
    return count;
  }

  /** Registers {@code reply} and returns its request id, never 0 or negative. */
  int add(Reply reply, long deadline) {
    if (count + 1 > (mask + 1) >> 1) {
      grow();
    }
    int id = nextId;
    while (true) {
      if (id <= 0) {
        // Wrapped: 0 is what a node answers when it could not read an id, so never use it.
        id = 1;
      }
      if (replies[id & mask] == null) {
        break;
      }
      id++;
    }
    int slot = id & mask;
    ids[slot] = id;
    replies[slot] = reply;
    deadlines[slot] = deadline;
    count++;
    nextId = id + 1;
    return id;
  }

  /** Removes and returns the reply waiting under {@code id}, or null when none does. */
  Reply remove(int id) {
    int slot = id & mask;
    Reply r = replies[slot];
    if (r == null || ids[slot] != id) {
      return null;
    }
    replies[slot] = null;
    count--;
    return r;
  }

  /** Removes the replies whose deadline passed at {@code now} and adds them to {@code out}. */
  void removeExpired(long now, List<Reply> out) {
    if (count == 0) {
      return;
    }
    for (int slot = 0; slot <= mask; slot++) {
      Reply r = replies[slot];
      if (r != null && now - deadlines[slot] > 0) {
        replies[slot] = null;
        count--;
        out.add(r);
      }
    }
  }

  /** Removes every reply, in no particular order. */
  List<Reply> removeAll() {
    List<Reply> out = new ArrayList<>(count);
    for (int slot = 0; slot <= mask; slot++) {
      if (replies[slot] != null) {
        out.add(replies[slot]);
        replies[slot] = null;
      }
    }
    count = 0;
    return out;
  }

  private void grow() {
    int capacity = (mask + 1) << 1;
    if (capacity <= 0) {
      throw new IllegalStateException("pending table cannot grow beyond " + (mask + 1));
    }
    int[] oldIds = ids;
    Reply[] oldReplies = replies;
    long[] oldDeadlines = deadlines;
    ids = new int[capacity];
    replies = new Reply[capacity];
    deadlines = new long[capacity];
    mask = capacity - 1;
    for (int slot = 0; slot < oldReplies.length; slot++) {
      if (oldReplies[slot] != null) {
        int s = oldIds[slot] & mask;
        ids[s] = oldIds[slot];
        replies[s] = oldReplies[slot];
        deadlines[s] = oldDeadlines[slot];
      }
    }
  }
}
