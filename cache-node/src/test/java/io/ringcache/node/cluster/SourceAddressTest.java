package io.ringcache.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SourceAddressTest {

  @Test
  void of_ipLiterals_bound() {
    assertThat(SourceAddress.of("127.31.4.2")).contains("127.31.4.2");
    assertThat(SourceAddress.of("10.0.0.7")).contains("10.0.0.7");
    assertThat(SourceAddress.of("::1")).contains("::1");
  }

  @Test
  void of_wildcardNameOrEmpty_leftToTheOperatingSystem() {
    assertThat(SourceAddress.of("0.0.0.0")).isEmpty();
    assertThat(SourceAddress.of("::")).isEmpty();
    assertThat(SourceAddress.of("localhost")).isEmpty();
    assertThat(SourceAddress.of("cache-0.cache.svc")).isEmpty();
    assertThat(SourceAddress.of("")).isEmpty();
    assertThat(SourceAddress.of(null)).isEmpty();
  }
}
