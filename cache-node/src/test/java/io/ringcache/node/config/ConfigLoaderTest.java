package io.ringcache.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.node.cluster.PartitionPolicy;
import io.ringcache.node.config.NodeConfig.Source;
import io.ringcache.node.logging.LogFormat;
import io.ringcache.node.logging.LogLevel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

  @TempDir Path dir;

  @Test
  void load_nothingGiven_isTheDefaults() {
    assertThat(load()).isEqualTo(NodeConfig.defaults());
  }

  @Test
  void load_sameKeyInAllThreePlaces_flagWins() throws IOException {
    Path file = file("port=7003\nreplication-factor=3\nrequest-timeout=3s\nzone=file\n");
    NodeConfig c =
        ConfigLoader.load(
            new String[] {"--config", file.toString(), "--port=7001", "--replication-factor", "1",
                "--request-timeout=1s", "--zone=flag"},
            Map.of("RINGCACHE_PORT", "7002", "RINGCACHE_REPLICATION_FACTOR", "2",
                "RINGCACHE_REQUEST_TIMEOUT", "2s", "RINGCACHE_ZONE", "env"));
    assertThat(c.port()).isEqualTo(7001);
    assertThat(c.replicationFactor()).isEqualTo(1);
    assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.zone()).isEqualTo("flag");
    assertThat(c.sourceOf("port")).isEqualTo(Source.FLAG);
    assertThat(c.sourceOf("zone")).isEqualTo(Source.FLAG);
  }

  @Test
  void load_envAndFile_envWins() throws IOException {
    Path file = file("port=7003\nreplication-factor=3\nmax-memory=3m\nwrite-acks=one\n");
    NodeConfig c =
        ConfigLoader.load(
            new String[0],
            Map.of("RINGCACHE_CONFIG", file.toString(), "RINGCACHE_PORT", "7002",
                "RINGCACHE_REPLICATION_FACTOR", "2", "RINGCACHE_MAX_MEMORY", "2m",
                "RINGCACHE_WRITE_ACKS", "all"));
    assertThat(c.port()).isEqualTo(7002);
    assertThat(c.replicationFactor()).isEqualTo(2);
    assertThat(c.maxMemoryBytes()).isEqualTo(2 * Values.MIB);
    assertThat(c.writeAcks()).isEqualTo(WriteAcks.ALL);
    assertThat(c.sourceOf("max-memory")).isEqualTo(Source.ENV);
  }

  @Test
  void load_fileOnly_beatsDefaults_andNameDerivesFromEffectiveHostAndPort() throws IOException {
    Path file = file("# a comment\nhost = 10.0.0.5\nport = 7003\nseeds = 10.0.0.6:5701\n"
        + "read-from = ANY\ntombstone-ttl = 90s\n");
    NodeConfig c = ConfigLoader.load(new String[] {"--config=" + file}, Map.of());
    assertThat(c.host()).isEqualTo("10.0.0.5");
    assertThat(c.port()).isEqualTo(7003);
    assertThat(c.name()).isEqualTo("10.0.0.5:7003");
    assertThat(c.seeds()).containsExactly("10.0.0.6:5701");
    assertThat(c.readFrom()).isEqualTo(ReadFrom.ANY);
    assertThat(c.tombstoneTtl()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.sourceOf("port")).isEqualTo(Source.FILE);
    assertThat(c.sourceOf("name")).isEqualTo(Source.DEFAULT);
    assertThat(c.sourceOf("http-port")).isEqualTo(Source.DEFAULT);
    assertThat(c.describe()).contains("(file)").contains("(default)");
  }

  @Test
  void load_configFlag_beatsConfigEnv() throws IOException {
    Path flagFile = file("port=7011\n");
    Path envFile = dir.resolve("env.properties");
    Files.writeString(envFile, "port=7022\n");
    NodeConfig c = ConfigLoader.load(new String[] {"--config", flagFile.toString()},
        Map.of("RINGCACHE_CONFIG", envFile.toString()));
    assertThat(c.port()).isEqualTo(7011);
  }

  @Test
  void load_emptyEnvValue_countsAsUnset_unknownRingcacheEnvIsIgnored() throws IOException {
    Path file = file("zone=file\n");
    NodeConfig c = ConfigLoader.load(new String[] {"--config", file.toString()},
        Map.of("RINGCACHE_ZONE", "", "RINGCACHE_SOMETHING_ELSE", "x", "PATH", "/bin"));
    assertThat(c.zone()).isEqualTo("file");
  }

  @Test
  void load_emptyFlagValue_isAnExplicitEmptyString() {
    NodeConfig c = ConfigLoader.load(new String[] {"--zone="}, Map.of("RINGCACHE_ZONE", "env"));
    assertThat(c.zone()).isEmpty();
    assertThat(c.sourceOf("zone")).isEqualTo(Source.FLAG);
  }

  @ParameterizedTest
  @CsvSource({
    "1048576, 1048576",
    "512k, 524288",
    "512K, 524288",
    "256m, 268435456",
    "256mb, 268435456",
    "1g, 1073741824",
    "' 64 m ', 67108864"
  })
  void parseSize_bytesAndBinarySuffixes(String text, long bytes) {
    assertThat(Values.parseSize(text, 0)).isEqualTo(bytes);
  }

  @Test
  void maxMemory_percentOfMaxHeap() {
    long heap = Runtime.getRuntime().maxMemory();
    assertThat(load("--max-memory=30%").maxMemoryBytes()).isEqualTo((long) (heap * 0.30));
    assertThat(load("--max-memory", "12.5%").maxMemoryBytes()).isEqualTo((long) (heap * 0.125));
    assertThatThrownBy(() -> load("--max-memory=0%"))
        .hasMessage("--max-memory: percentage of the max heap must be above 0 and at most 100,"
            + " was '0%'");
    assertThatThrownBy(() -> load("--max-key-bytes=10%"))
        .hasMessage("--max-key-bytes: expected a size in bytes (e.g. 1048576, 512k, 256m, 2g),"
            + " was '10%'");
  }

  @Test
  void formats_roundTripThroughTheParsers() {
    for (long bytes : new long[] {1, 1000, 1024, 1536, 3 * Values.MIB, 5 * Values.GIB}) {
      assertThat(Values.parseSize(Values.formatSize(bytes), 0)).isEqualTo(bytes);
    }
  }

  @Test
  void seeds_commaSeparated_trimmed_emptiesDropped() {
    assertThat(load("--seeds", "127.0.0.1:5701, 127.0.0.1:5702,,[::1]:5703").seeds())
        .containsExactly("127.0.0.1:5701", "127.0.0.1:5702", "[::1]:5703");
    assertThat(load("--seeds=").seeds()).isEmpty();
  }

  @Test
  void enums_caseInsensitive() {
    NodeConfig c = load("--write-acks=One", "--read-from", "any");
    assertThat(c.writeAcks()).isEqualTo(WriteAcks.ONE);
    assertThat(c.readFrom()).isEqualTo(ReadFrom.ANY);
  }

  @Test
  void everySetting_parsesFromItsFlag() throws IOException {
    String cert = pem("cert.pem", "CERTIFICATE").toString();
    String key = pem("key.pem", "PRIVATE KEY").toString();
    String caches = write("[{\"name\":\"sessions\",\"expireAfterCreateMillis\":1800000}]")
        .toString();
    String data = dir.resolve("data").toString();
    NodeConfig c = load("--caches-file=" + caches, "--data-dir=" + data, "--name=n1", "--cluster-name=c1", "--host=10.1.1.1", "--port=7100",
        "--http-port=0", "--resp-port=6390", "--cluster-port=0", "--seeds=h:1", "--zone=z", "--weight=2.5",
        "--replication-factor=3", "--tokens=128", "--max-memory=32m", "--write-acks=one",
        "--read-from=any", "--partition-policy=majority", "--max-key-bytes=2k",
        "--max-value-bytes=4m",
        "--max-batch-entries=10", "--max-connections=20", "--max-in-flight=30",
        "--request-timeout=100ms", "--idle-timeout=7m", "--hello-timeout=3s",
        "--tombstone-ttl=2m", "--max-clock-offset=250ms", "--drain-timeout=5s",
        "--auth-token=s", "--auth-token-secondary=t", "--tls-cert=" + cert, "--tls-key=" + key,
        "--tls-trust=" + cert, "--event-loops=3",
        "--transfer-rate=2m", "--transfer-window=64", "--anti-entropy-interval=90s",
        "--anti-entropy-rate=512k", "--event-bus-port=5801",
        "--kubernetes-service-dns=rc.ns.svc", "--log-format=json", "--log-level=debug");
    assertThat(c)
        .isEqualTo(new NodeConfig("n1", "c1", "10.1.1.1", 7100, 0, 6390, 0, List.of("h:1"), "z", 2.5, 3,
            128, 32 * Values.MIB, WriteAcks.ONE, ReadFrom.ANY, PartitionPolicy.MAJORITY, 2048, 4 * (int) Values.MIB, 10,
            20, 30, Duration.ofMillis(100), Duration.ofMinutes(7), Duration.ofSeconds(3),
            Duration.ofMinutes(2), Duration.ofMillis(250), Duration.ofSeconds(5),
            2 * Values.MIB, 64, Duration.ofSeconds(90), 512 * 1024L, "s", "t", cert, key, cert, 3,
            5801, "rc.ns.svc", LogFormat.JSON, LogLevel.DEBUG, caches, data, c.sources()));
    assertThat(c.sources().values()).containsOnly(Source.FLAG);
    assertThat(c.caches()).extracting(io.ringcache.protocol.CacheSpec::name)
        .containsExactly("sessions");
    assertThat(c.caches().get(0).expireAfterCreateMillis()).isEqualTo(1_800_000);
  }

  @Test
  void dataDir_missing_isCreated_andAFileOrUnwritableDirIsRefusedNamingTheSetting()
      throws IOException {
    Path fresh = dir.resolve("a/b/data");
    assertThat(load("--data-dir=" + fresh).dataDir()).isEqualTo(fresh.toString());
    assertThat(fresh).isDirectory().isEmptyDirectory();
    Path plain = file("not a directory");
    assertThatThrownBy(() -> load("--data-dir=" + plain))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--data-dir: '" + plain + "' exists and is not a directory");
    // A directory below a regular file can be neither created nor written, even by root.
    Path below = plain.resolve("data");
    assertThatThrownBy(() -> load("--data-dir=" + below))
        .hasMessageStartingWith("--data-dir: directory '" + below + "' cannot be created");
  }

  @Test
  void cachesFile_malformed_failsNamingTheSettingAndTheFile() {
    String bad = write("[{\"name\":\"a b\"}]").toString();
    assertThatThrownBy(() -> load("--caches-file=" + bad))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--caches-file").hasMessageContaining(bad)
        .hasMessageContaining("cache name");
    String twice = write("[{\"name\":\"a\"},{\"name\":\"a\"}]").toString();
    assertThatThrownBy(() -> load("--caches-file=" + twice))
        .hasMessageContaining("cache 'a' is defined twice");
  }

  @Test
  void describe_ofLoadedConfig_loadsBackToTheSameValues() {
    NodeConfig c = load("--seeds=a:1,b:2", "--max-memory=3m", "--request-timeout=1500ms",
        "--weight=0.5", "--zone=z");
    StringBuilder props = new StringBuilder();
    c.describe().lines()
        .map(line -> line.replaceAll(" \\((flag|env|file|default)\\)$", ""))
        .forEach(line -> props.append(line).append('\n'));
    Path file = write(props.toString());
    NodeConfig back = ConfigLoader.load(new String[] {"--config", file.toString()}, Map.of());
    assertThat(back.toString()).isEqualTo(c.toString());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--port=70000          | --port: must be within 1..65535, was 70000",
        "--port=0              | --port: must be within 1..65535, was 0",
        "--port=abc            | --port: expected an integer, was 'abc'",
        "--http-port=65536     | --http-port: must be within 0..65535, was 65536",
        "--cluster-port=65437  | --cluster-port: must be within 0..65436, was 65437",
        "--replication-factor=17 | --replication-factor: must be within 1..16, was 17",
        "--tokens=0            | --tokens: must be within 1..4096, was 0",
        "--weight=-1           | --weight: must be positive and finite, was -1.0",
        "--weight=NaN          | --weight: expected a positive number, was 'NaN'",
        "--max-key-bytes=64k   | --max-key-bytes: must be within 1..65535, was 65536",
        "--max-value-bytes=1g  | --max-value-bytes: must be within 1..536870912, was 1073741824",
        "--max-value-bytes=1x  | --max-value-bytes: expected a size in bytes (e.g. 1048576, 512k,"
            + " 256m, 2g), was '1x'",
        "--max-batch-entries=0 | --max-batch-entries: must be within 1..65536, was 0",
        "--max-connections=0   | --max-connections: must be within 1..1000000, was 0",
        "--max-in-flight=99999 | --max-in-flight: must be within 1..65536, was 99999",
        "--request-timeout=0ms | --request-timeout: must be within 1ms..24h, was 0ms",
        "--request-timeout=30  | --request-timeout: '30' has no unit; write 30s or 30ms (units:"
            + " ms, s, m, h)",
        "--idle-timeout=0      | --idle-timeout: '0' has no unit; write 0s or 0ms (units: ms, s,"
            + " m, h)",
        "--request-timeout=2x  | --request-timeout: expected a duration, a whole number and a"
            + " unit: ms, s, m or h (500ms, 2s, 1m, 1h), was '2x'",
        "--tombstone-ttl=25h   | --tombstone-ttl: must be within 1ms..24h, was 25h",
        "--tombstone-ttl=30s   | --anti-entropy-interval: with its 10% jitter it must stay below"
            + " --tombstone-ttl (30s), was 30s",
        "--drain-timeout=-1s   | --drain-timeout: expected a duration, a whole number and a unit:"
            + " ms, s, m or h (500ms, 2s, 1m, 1h), was '-1s'",
        "--event-loops=0       | --event-loops: must be within 1..1024, was 0",
        "--write-acks=most     | --write-acks: expected one of all, one (case-insensitive),"
            + " was 'most'",
        "--read-from=nearest   | --read-from: expected one of primary, any (case-insensitive),"
            + " was 'nearest'",
        "--seeds=a:1,b         | --seeds: seed 'b' is not host:port, e.g. 127.0.0.1:7101",
        "--seeds=a:99999       | --seeds: seed 'a:99999' has port 99999, not within 1..65535",
        "--seeds=::1:5701      | --seeds: seed '::1:5701' is not host:port: IPv6 hosts go in"
            + " brackets, e.g. [::1]:7101",
        "--host=               | --host: must not be blank, was ''",
        "--cluster-name=       | --cluster-name: must not be blank, was ''",
        "--name=               | --name: must not be blank, was ''",
      })
  void load_badFlagValue_namesFlagRangeAndValue(String arg, String message) {
    assertThatThrownBy(() -> load(arg))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }

  @Test
  void load_badEnvValue_namesTheVariable() {
    assertThatThrownBy(() -> ConfigLoader.load(new String[0], Map.of("RINGCACHE_WEIGHT", "abc")))
        .hasMessage("RINGCACHE_WEIGHT: expected a positive number, was 'abc'");
    assertThatThrownBy(() -> ConfigLoader.load(new String[0], Map.of("RINGCACHE_PORT", "70000")))
        .hasMessage("RINGCACHE_PORT: must be within 1..65535, was 70000");
  }

  @Test
  void load_badOperationsChoices_nameTheSettingAndTheChoices() {
    assertThatThrownBy(() -> ConfigLoader.load(new String[0],
        Map.of("RINGCACHE_LOG_FORMAT", "xml")))
        .hasMessage("RINGCACHE_LOG_FORMAT: expected one of text, json (case-insensitive), was 'xml'");
    assertThatThrownBy(() -> load("--log-level=verbose"))
        .hasMessage("--log-level: expected one of error, warn, info, debug, trace"
            + " (case-insensitive), was 'verbose'");
    assertThatThrownBy(() -> load("--event-bus-port=65536"))
        .hasMessage("--event-bus-port: must be within 0..65535, was 65536");
  }

  @Test
  void load_kubernetesServiceLinkInEnv_isRejectedWithAHint() {
    assertThatThrownBy(() -> ConfigLoader.load(new String[0],
            Map.of("RINGCACHE_PORT", "tcp://10.96.0.12:7000")))
        .hasMessage("RINGCACHE_PORT: expected an integer, was 'tcp://10.96.0.12:7000'"
            + " (a Kubernetes service link? set enableServiceLinks: false in the pod spec)");
    assertThat(ConfigLoader.load(new String[] {"--port=7001"},
            Map.of("RINGCACHE_PORT", "tcp://10.96.0.12:7000")).port())
        .isEqualTo(7001);
  }

  @Test
  void load_badFileValue_namesTheKeyAndTheFile() throws IOException {
    Path file = file("tokens=5000\n");
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--config", file.toString()},
            Map.of()))
        .hasMessage("tokens (" + file + "): must be within 1..4096, was 5000");
  }

  @Test
  void load_badValueOverriddenByHigherSource_isNotAnError() throws IOException {
    Path file = file("tokens=5000\n");
    NodeConfig c = ConfigLoader.load(new String[] {"--config", file.toString(), "--tokens=8"},
        Map.of());
    assertThat(c.tokens()).isEqualTo(8);
  }

  @Test
  void load_unknownFlag_isRejectedWithTheClosestKnownFlag() {
    assertThatThrownBy(() -> load("--prot=7001"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--prot: unknown flag; did you mean --port? (see --help)");
    assertThatThrownBy(() -> load("--replicationFactor", "2"))
        .hasMessage("--replicationFactor: unknown flag; did you mean --replication-factor?"
            + " (see --help)");
    assertThatThrownBy(() -> load("--frobnicate=1"))
        .hasMessage("--frobnicate: unknown flag (see --help)");
  }

  @Test
  void load_unknownFileKey_isRejectedWithTheClosestKnownKey() throws IOException {
    Path file = file("port=7001\nmax-memroy=1g\n");
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--config", file.toString()},
            Map.of()))
        .hasMessage("max-memroy (" + file + "): unknown key; did you mean 'max-memory'?");
    Path nested = write("config=/etc/other.properties\n");
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--config", nested.toString()},
            Map.of()))
        .hasMessage("config (" + nested + "): not allowed in a config file;"
            + " use --config or RINGCACHE_CONFIG");
  }

  @Test
  void load_missingFile_namesWhereThePathCameFrom() {
    String missing = dir.resolve("missing.properties").toString();
    assertThatThrownBy(() -> ConfigLoader.load(new String[0], Map.of("RINGCACHE_CONFIG", missing)))
        .hasMessage("RINGCACHE_CONFIG: cannot read config file '" + missing
            + "' (NoSuchFileException)");
  }

  @Test
  void load_malformedArguments_areRejected() {
    assertThatThrownBy(() -> load("--port"))
        .hasMessage("--port: missing value; write --port=value or --port value");
    assertThatThrownBy(() -> load("--port", "--http-port=1"))
        .hasMessage("--port: missing value; write --port=value or --port value");
    assertThatThrownBy(() -> load("7001"))
        .hasMessage("unexpected argument '7001'; settings are flags, --key=value or --key value"
            + " (see --help)");
    assertThatThrownBy(() -> load("--port=1", "--port", "2"))
        .hasMessage("--port: given more than once");
  }

  /**
   * Picocli splits the flags; a flag followed by another flag still has no value, a value that
   * starts with a dash is still a value, and an argument starting with {@code @} is a value, not
   * a file of arguments to read.
   */
  @Test
  void load_picocliSplitsFlagsAsTheLoaderDid() throws IOException {
    assertThatThrownBy(() -> load("--zone", "--frobnicate"))
        .hasMessage("--zone: missing value; write --zone=value or --zone value");
    assertThat(load("--zone=--frobnicate").zone()).isEqualTo("--frobnicate");
    assertThatThrownBy(() -> load("--drain-timeout", "-1s"))
        .hasMessage("--drain-timeout: expected a duration, a whole number and a unit: ms, s, m or"
            + " h (500ms, 2s, 1m, 1h), was '-1s'");
    Path args = Files.writeString(dir.resolve("args"), "--port=7999\n");
    assertThat(load("--zone", "@" + args).zone()).isEqualTo("@" + args);
  }

  /** Picocli's tracing logs option values; the node's parse keeps the tokens out of it. */
  @Test
  void load_picocliTraceRequested_tokenNotTraced() {
    PrintStream err = System.err;
    ByteArrayOutputStream traced = new ByteArrayOutputStream();
    System.setProperty("picocli.trace", "DEBUG");
    System.setErr(new PrintStream(traced, true, StandardCharsets.UTF_8));
    try {
      load("--auth-token", "hunter2");
    } finally {
      System.setErr(err);
      System.clearProperty("picocli.trace");
    }
    assertThat(traced.toString(StandardCharsets.UTF_8)).doesNotContain("hunter2");
  }

  @Test
  void load_secretsNeverAppearInErrors() {
    assertThatThrownBy(() -> load("--auth-tokn=hunter2"))
        .hasMessage("--auth-tokn: unknown flag; did you mean --auth-token? (see --help)");
    NodeConfig c = load("--auth-token", "hunter2");
    assertThat(c.authToken()).isEqualTo("hunter2");
    assertThat(c.toString() + c.describe()).doesNotContain("hunter2").contains("<redacted>");
  }

  @Test
  void load_secondaryToken_acceptedBesidePrimary_neverShown() {
    NodeConfig c = ConfigLoader.load(new String[0], Map.of("RINGCACHE_AUTH_TOKEN", "old-one",
        "RINGCACHE_AUTH_TOKEN_SECONDARY", "new-one"));
    assertThat(c.authTokenSecondary()).isEqualTo("new-one");
    assertThat(c.authTokens().accepts("old-one")).isTrue();
    assertThat(c.authTokens().accepts("new-one")).isTrue();
    assertThat(c.authTokens().presented()).isEqualTo("old-one");
    assertThat(c.toString() + c.describe()).doesNotContain("old-one").doesNotContain("new-one");
  }

  @Test
  void load_secondaryTokenWithoutPrimary_fails() {
    assertThatThrownBy(() -> load("--auth-token-secondary=new-one"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("auth-token-secondary is set but auth-token is not")
        .hasMessageNotContaining("new-one");
  }

  @Test
  void load_tlsFiles_turnTlsOn() throws IOException {
    Path cert = pem("cert.pem", "CERTIFICATE");
    Path key = pem("key.pem", "PRIVATE KEY");
    NodeConfig c = load("--tls-cert", cert.toString(), "--tls-key", key.toString(),
        "--tls-trust", cert.toString());
    assertThat(c.tlsEnabled()).isTrue();
    assertThat(c.tls().cert()).isEqualTo(cert);
    assertThat(c.tls().key()).isEqualTo(key);
    assertThat(c.tls().trust()).isEqualTo(cert);
    assertThat(c.describe()).contains("tls-key", key.toString());
    assertThat(load().tls().enabled()).isFalse();
  }

  @Test
  void load_certWithoutKey_failsNamingBoth() throws IOException {
    Path cert = pem("cert.pem", "CERTIFICATE");
    assertThatThrownBy(() -> load("--tls-cert", cert.toString(), "--tls-trust", cert.toString()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("tls-cert is set but tls-key is not");
    Path key = pem("key.pem", "PRIVATE KEY");
    assertThatThrownBy(() -> load("--tls-key", key.toString()))
        .hasMessageStartingWith("tls-key is set but tls-cert is not");
  }

  @Test
  void load_tlsWithoutTrust_failsNamingTlsTrust() throws IOException {
    Path cert = pem("cert.pem", "CERTIFICATE");
    Path key = pem("key.pem", "PRIVATE KEY");
    assertThatThrownBy(() -> load("--tls-cert", cert.toString(), "--tls-key", key.toString()))
        .hasMessageStartingWith("tls-cert and tls-key are set but tls-trust is not");
    assertThatThrownBy(() -> load("--tls-trust", cert.toString()))
        .hasMessageStartingWith("tls-trust is set but tls-cert and tls-key are not");
  }

  @Test
  void load_missingTlsFile_failsNamingSettingAndPath() {
    String missing = dir.resolve("nope.pem").toString();
    assertThatThrownBy(() -> ConfigLoader.load(new String[0],
        Map.of("RINGCACHE_TLS_CERT", missing)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("RINGCACHE_TLS_CERT: cannot read '%s' (NoSuchFileException)", missing);
  }

  @Test
  void load_tlsFileOfTheWrongKind_failsNamingSettingAndPath() throws IOException {
    Path cert = pem("cert.pem", "CERTIFICATE");
    Path encrypted = pem("enc.pem", "ENCRYPTED PRIVATE KEY");
    assertThatThrownBy(() -> load("--tls-key", cert.toString()))
        .hasMessage("--tls-key: '%s' holds no PEM private key (-----BEGIN PRIVATE KEY-----)",
            cert);
    assertThatThrownBy(() -> load("--tls-key", encrypted.toString()))
        .hasMessageStartingWith("--tls-key: '" + encrypted + "' holds an encrypted private key");
    assertThatThrownBy(() -> load("--tls-trust", encrypted.toString()))
        .hasMessage("--tls-trust: '%s' holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
            encrypted);
  }

  @Test
  void help_isRecognised_andUsageListsEveryKeyWithEnvAndDefault() {
    assertThat(ConfigLoader.helpRequested(new String[] {"--port=1", "--help"})).isTrue();
    assertThat(ConfigLoader.helpRequested(new String[] {"-h"})).isTrue();
    assertThat(ConfigLoader.helpRequested(new String[] {"--port=1"})).isFalse();
    assertThat(load("--help").port()).isEqualTo(7000);
    String usage = ConfigLoader.usage();
    for (Setting key : Setting.values()) {
      assertThat(usage)
          .containsPattern("(?m)^  " + key.flag() + " +" + key.env() + " +default: \\Q"
              + key.defaultText + "\\E$");
    }
    assertThat(usage).contains("--config <file>").contains("RINGCACHE_CONFIG").contains("--help");
  }

  private static NodeConfig load(String... args) {
    return ConfigLoader.load(args, Map.of());
  }

  /** A file that looks like PEM of {@code label}; only the header is ever checked here. */
  private Path pem(String name, String label) throws IOException {
    return Files.writeString(dir.resolve(name),
        "-----BEGIN " + label + "-----\nAAAA\n-----END " + label + "-----\n");
  }

  private Path file(String text) throws IOException {
    Path file = dir.resolve("ringcache.properties");
    Files.writeString(file, text);
    return file;
  }

  private Path write(String text) {
    try {
      return Files.writeString(Files.createTempFile(dir, "described", ".properties"), text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
