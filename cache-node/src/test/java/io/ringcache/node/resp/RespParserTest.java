package io.ringcache.node.resp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RespParserTest {

  private static final RespLimits LIMITS = new RespLimits(64, 4096, 64 * 1024, 1024, "test");

  /** What a parser delivered: commands (each argument as a list of bytes) and errors. */
  private static final class Sink {
    final List<List<String>> commands = new ArrayList<>();
    final List<String> errors = new ArrayList<>();
    final RespParser parser;

    Sink(RespLimits limits) {
      parser = new RespParser(limits, args -> commands.add(hex(args)),
          e -> errors.add(e.getMessage()));
    }

    void feed(byte[] bytes) {
      parser.handle(Buffer.buffer(bytes));
    }
  }

  private static List<String> hex(List<byte[]> args) {
    List<String> out = new ArrayList<>();
    for (byte[] a : args) {
      StringBuilder s = new StringBuilder();
      for (byte b : a) {
        s.append(String.format("%02x", b));
      }
      out.add(s.toString());
    }
    return out;
  }

  private static byte[] multibulk(List<byte[]> args) {
    Buffer out = Buffer.buffer().appendString("*" + args.size() + "\r\n");
    for (byte[] a : args) {
      out.appendString("$" + a.length + "\r\n").appendBytes(a).appendString("\r\n");
    }
    return out.getBytes();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static List<byte[]> randomCommand(SplittableRandom random) {
    int n = 1 + random.nextInt(6);
    List<byte[]> args = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] a = new byte[random.nextInt(random.nextBoolean() ? 8 : 300)];
      random.nextBytes(a);
      args.add(a);
    }
    return args;
  }

  /** An inline command of plain words (what a person types into telnet). */
  private static List<byte[]> randomWords(SplittableRandom random) {
    int n = 1 + random.nextInt(4);
    List<byte[]> args = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      StringBuilder w = new StringBuilder();
      for (int j = 0, len = 1 + random.nextInt(10); j < len; j++) {
        w.append((char) ('a' + random.nextInt(26)));
      }
      args.add(ascii(w.toString()));
    }
    return args;
  }

  @RepeatedTest(200)
  void parse_randomPipelineRandomlySplit_decodesAsWhole(RepetitionInfo rep) {
    SplittableRandom random = new SplittableRandom(7_000 + rep.getCurrentRepetition());
    Buffer stream = Buffer.buffer();
    List<List<String>> expected = new ArrayList<>();
    for (int c = 0, n = 1 + random.nextInt(30); c < n; c++) {
      if (random.nextInt(5) == 0) {
        List<byte[]> words = randomWords(random);
        List<String> text = words.stream().map(w -> new String(w, StandardCharsets.US_ASCII))
            .toList();
        stream.appendString(String.join(random.nextBoolean() ? " " : "  ", text))
            .appendString(random.nextBoolean() ? "\r\n" : "\n");
        expected.add(hex(words));
      } else {
        List<byte[]> args = randomCommand(random);
        stream.appendBytes(multibulk(args));
        expected.add(hex(args));
      }
    }
    byte[] all = stream.getBytes();

    Sink whole = new Sink(LIMITS);
    whole.feed(all);
    Sink split = new Sink(LIMITS);
    int at = 0;
    while (at < all.length) {
      int len = Math.min(all.length - at, random.nextInt(4) == 0 ? 1 : 1 + random.nextInt(97));
      byte[] piece = new byte[len];
      System.arraycopy(all, at, piece, 0, len);
      split.feed(piece);
      at += len;
    }

    assertThat(whole.errors).isEmpty();
    assertThat(whole.commands).isEqualTo(expected);
    assertThat(split.errors).isEmpty();
    assertThat(split.commands).isEqualTo(expected);
    assertThat(split.parser.buffered()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "*2\r\n$3\r\nGET\r\n:1\r\n",          // an integer where a bulk string belongs
      "*x\r\n",                             // count not a number
      "*1\r\n$-1\r\n",                      // negative bulk length
      "*1\r\n$abc\r\n",                     // bulk length not a number
      "*1\r\n$3\r\nGETX\r\n",               // body longer than declared: no CRLF after it
      "*99999999999999999999999\r\n",       // count beyond 64 bits
      "*65\r\n",                            // more arguments than the limit
      "*1\r\n$4097\r\n",                    // a bulk longer than the limit
      "SET \"unbalanced\r\n",               // inline with an open quote
  })
  void parse_malformed_failsOnceAndDeliversNothingMore(String input) {
    Sink sink = new Sink(LIMITS);
    sink.feed(ascii(input));
    sink.feed(ascii("*1\r\n$4\r\nPING\r\n"));
    assertThat(sink.errors).hasSize(1);
    assertThat(sink.commands).isEmpty();
    assertThat(sink.parser.failed()).isTrue();
  }

  @Test
  void parse_hugeDeclaredBulk_failsBeforeBufferingAnyBody() {
    Sink sink = new Sink(LIMITS);
    sink.feed(ascii("*2\r\n$3\r\nSET\r\n$2147483647\r\n"));
    assertThat(sink.errors).singleElement().asString().contains("invalid bulk length");
    assertThat(sink.parser.buffered()).isZero();
  }

  @Test
  void parse_commandOverTotalLimit_fails() {
    RespLimits small = new RespLimits(64, 4096, 8192, 1024, "test");
    Sink sink = new Sink(small);
    byte[] body = new byte[4000];
    sink.feed(multibulk(List.of(body, body, body)));
    assertThat(sink.errors).singleElement().asString().contains("8192 bytes");
  }

  @Test
  void parse_headerLineWithoutEnd_failsAtItsBound() {
    Sink sink = new Sink(LIMITS);
    sink.feed(ascii("*" + "1".repeat(RespParser.MAX_HEADER_LINE)));
    assertThat(sink.errors).singleElement().asString().contains("mbulk count");
  }

  @Test
  void parse_inlineFlood_failsAtInlineLimit() {
    Sink sink = new Sink(LIMITS);
    sink.feed(ascii("PING " + "x".repeat(LIMITS.maxInlineBytes())));
    assertThat(sink.errors).singleElement().asString().contains("too big inline request");
  }

  @Test
  void parse_inlineQuotes_followRedisRules() {
    Sink sink = new Sink(LIMITS);
    sink.feed(ascii("set \"a b\" 'c\\'d' \"\\x41\\n\"\r\n"));
    assertThat(sink.commands).singleElement().isEqualTo(hex(List.of(ascii("set"), ascii("a b"),
        ascii("c'd"), ascii("A\n"))));
  }

  @Test
  void parse_emptyCountsAndBlankLines_areSkipped() {
    Sink sink = new Sink(LIMITS);
    sink.feed(ascii("*0\r\n\r\n   \r\n*-1\r\nPING\r\n"));
    assertThat(sink.errors).isEmpty();
    assertThat(sink.commands).singleElement().isEqualTo(hex(List.of(ascii("PING"))));
  }

  @Test
  void pause_holdsCommandsUntilResume() {
    List<String> seen = new ArrayList<>();
    RespParser[] parser = new RespParser[1];
    parser[0] = new RespParser(LIMITS, args -> {
      seen.add(new String(args.get(0), StandardCharsets.US_ASCII));
      parser[0].pause();
    }, e -> { });
    parser[0].handle(Buffer.buffer("A\r\nB\r\nC\r\n"));
    assertThat(seen).containsExactly("A");
    parser[0].resume();
    assertThat(seen).containsExactly("A", "B");
    parser[0].resume();
    parser[0].resume();
    assertThat(seen).containsExactly("A", "B", "C");
  }
}
