package io.ringcache.node.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AuthTokensTest {

  private final AuthTokens tokens = new AuthTokens("current", "next");

  @Test
  void accepts_primaryOrSecondary_only() {
    assertThat(tokens.accepts("current")).isTrue();
    assertThat(tokens.accepts("next")).isTrue();
    assertThat(tokens.accepts("")).isFalse();
    assertThat(tokens.accepts("curren")).isFalse();
    assertThat(tokens.accepts("current ")).isFalse();
    assertThat(tokens.accepts("Current")).isFalse();
    assertThat(tokens.accepts(null)).isFalse();
  }

  @Test
  void presented_isThePrimary() {
    assertThat(tokens.presented()).isEqualTo("current");
    assertThat(tokens.required()).isTrue();
  }

  @Test
  void none_requiresNothing_acceptsNothing() {
    assertThat(AuthTokens.NONE.required()).isFalse();
    assertThat(AuthTokens.NONE.accepts("")).isFalse();
    assertThat(AuthTokens.NONE.presented()).isEmpty();
  }

  @Test
  void secondaryWithoutPrimary_isRejected() {
    assertThatThrownBy(() -> new AuthTokens("", "next"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("a secondary auth token needs a primary one");
  }

  @Test
  void acceptsBearer_schemeCaseInsensitive_tokenExact() {
    assertThat(tokens.acceptsBearer("Bearer current")).isTrue();
    assertThat(tokens.acceptsBearer("bearer next")).isTrue();
    assertThat(tokens.acceptsBearer("Basic current")).isFalse();
    assertThat(tokens.acceptsBearer("current")).isFalse();
    assertThat(tokens.acceptsBearer("Bearer ")).isFalse();
    assertThat(tokens.acceptsBearer(null)).isFalse();
  }

  @Test
  void toString_neverShowsATokens() {
    assertThat(tokens.toString()).doesNotContain("current").doesNotContain("next")
        .contains("<redacted>");
  }
}
