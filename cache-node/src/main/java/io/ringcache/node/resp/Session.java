package io.ringcache.node.resp;

import java.util.concurrent.atomic.AtomicLong;

/** The state one RESP connection carries between commands. Used on its event loop only. */
final class Session {

  private static final AtomicLong IDS = new AtomicLong();

  final long id = IDS.incrementAndGet();
  final long createdMillis = System.currentTimeMillis();
  final String remote;
  int protocol = 2;
  boolean authenticated;
  String name = "";
  String libName = "";
  String libVersion = "";
  /** Set by QUIT: the connection closes once this command's answer is written. */
  boolean closeAfterReply;

  Session(String remote, boolean authenticated) {
    this.remote = remote;
    this.authenticated = authenticated;
  }
}
