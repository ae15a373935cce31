package io.ringcache.node.resp;

/** The full command table of one event loop's RESP server, built from the command families. */
final class RespCommands {

  private RespCommands() {}

  static CommandTable of(RespNode node) {
    CommandTable table = new CommandTable();
    new ConnectionCommands(node).register(table);
    new ServerCommands(node, table).register(table);
    StringCommands strings = new StringCommands(node);
    strings.register(table);
    new StringEditCommands(node, strings).register(table);
    new KeyCommands(node, strings).register(table);
    new KeyspaceCommands(node).register(table);
    return table;
  }
}
