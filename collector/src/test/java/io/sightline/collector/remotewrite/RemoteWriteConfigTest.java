package io.sightline.collector.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.collector.config.ConfigException;
import io.sightline.collector.config.YamlConfigLoader;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code remote_write} entries: Prometheus' defaults, every key, and its checks with file, line and key. */
class RemoteWriteConfigTest {
  private static List<RemoteWriteConfig> parse(String yaml) {
    return RemoteWriteConfig.parseList(new YamlConfigLoader(k -> null).parse("rw.yaml", yaml), "remote_write",
        false);
  }

  private static String error(String yaml) {
    try {
      parse(yaml);
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("no error for " + yaml);
  }

  @Test
  void defaultsArePrometheus() {
    RemoteWriteConfig c = parse("""
        remote_write:
          - url: http://127.0.0.1:9090/api/v1/write
        """).getFirst();
    assertThat(c.url()).isEqualTo(URI.create("http://127.0.0.1:9090/api/v1/write"));
    assertThat(c.remoteTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.queue()).isEqualTo(RemoteWriteConfig.QueueConfig.DEFAULTS);
    assertThat(c.queue().capacity()).isEqualTo(10_000);
    assertThat(c.queue().maxShards()).isEqualTo(50);
    assertThat(c.queue().maxSamplesPerSend()).isEqualTo(2_000);
    assertThat(c.queue().batchSendDeadline()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.queue().minBackoff()).isEqualTo(Duration.ofMillis(30));
    assertThat(c.queue().maxBackoff()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.queue().retryOnHttp429()).isFalse();
    assertThat(c.queue().queueLimit()).isEqualTo(500_000);
    assertThat(c.metadata()).isEqualTo(RemoteWriteConfig.MetadataConfig.DEFAULTS);
    assertThat(c.sendExemplars()).isFalse();
    assertThat(c.followRedirects()).isTrue();
    assertThat(c.enableHttp2()).isFalse();
    assertThat(c.authorization()).isNull();
    assertThat(c.name()).matches("[0-9a-f]{6}");
  }

  @Test
  void everyKeyIsRead() {
    RemoteWriteConfig c = parse("""
        remote_write:
          - url: https://user:pw@mimir.example:8080/api/v1/push
            name: mimir
            remote_timeout: 5s
            headers: {X-Scope-OrgID: team-a}
            write_relabel_configs:
              - {source_labels: [__name__], regex: "go_.*", action: drop}
            send_exemplars: true
            send_native_histograms: true
            protobuf_message: prometheus.WriteRequest
            authorization: {type: Bearer, credentials: t0ken}
            follow_redirects: false
            enable_http2: true
            queue_config:
              capacity: 100
              max_shards: 2
              min_shards: 1
              max_samples_per_send: 50
              batch_send_deadline: 1s
              min_backoff: 100ms
              max_backoff: 1s
              retry_on_http_429: true
              sample_age_limit: 10m
            metadata_config: {send: false, send_interval: 30s, max_samples_per_send: 10}
        """).getFirst();
    assertThat(c.name()).isEqualTo("mimir");
    assertThat(c.redactedUrl()).isEqualTo("https://mimir.example:8080/api/v1/push");
    assertThat(c.remoteTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.headers()).isEqualTo(Map.of("X-Scope-OrgID", "team-a"));
    assertThat(c.writeRelabelConfigs()).hasSize(1);
    assertThat(c.sendExemplars() && c.sendNativeHistograms() && c.enableHttp2()).isTrue();
    assertThat(c.followRedirects()).isFalse();
    assertThat(c.authorization()).isEqualTo("Bearer t0ken");
    assertThat(c.toString()).doesNotContain("t0ken", "pw@");
    assertThat(c.queue()).isEqualTo(new RemoteWriteConfig.QueueConfig(100, 2, 1, 50, Duration.ofSeconds(1),
        Duration.ofMillis(100), Duration.ofSeconds(1), true, Duration.ofMinutes(10)));
    assertThat(c.metadata()).isEqualTo(new RemoteWriteConfig.MetadataConfig(false, Duration.ofSeconds(30), 10));
  }

  @Test
  void unnamedEntriesGetDistinctNamesAndIdenticalOnesAreRefused() {
    List<RemoteWriteConfig> two = parse("""
        remote_write:
          - url: http://a:9090/api/v1/write
          - url: http://b:9090/api/v1/write
        """);
    assertThat(two.get(0).name()).isNotEqualTo(two.get(1).name());
    assertThat(error("""
        remote_write:
          - url: http://a:9090/api/v1/write
          - url: http://a:9090/api/v1/write
        """)).isEqualTo("rw.yaml:3:5: remote_write[1]: duplicate remote write configs are not allowed, found "
            + "duplicate for URL: http://a:9090/api/v1/write");
    assertThat(error("""
        remote_write:
          - {url: "http://a:9090/api/v1/write", name: one}
          - {url: "http://b:9090/api/v1/write", name: one}
        """)).isEqualTo("rw.yaml:3:47: remote_write[1].name: found multiple remote write configs with job name "
            + "\"one\"");
  }

  @Test
  void prometheusChecksWithTheirMessages() {
    assertThat(error("""
        remote_write:
          - name: nowhere
        """)).isEqualTo("rw.yaml:2:5: remote_write[0]: url for remote_write is empty");
    assertThat(error("""
        remote_write:
          - url: ftp://a/write
        """)).isEqualTo("rw.yaml:2:10: remote_write[0].url: \"ftp://a/write\" is not an http or https URL");
    assertThat(error("""
        remote_write:
          - url: http://a/write
            headers: {Content-Type: text/plain}
        """)).isEqualTo("rw.yaml:3:15: remote_write[0].headers.Content-Type: Content-Type is a reserved header. "
            + "It must not be changed");
    assertThat(error("""
        remote_write:
          - url: http://a/write
            headers: {Authorization: Bearer x}
        """)).contains("authorization header must be changed via the basic_auth, authorization, oauth2, sigv4, "
            + "azuread or google_iam parameter");
    assertThat(error("""
        remote_write:
          - url: http://a/write
            basic_auth: {username: u}
            bearer_token: t
        """)).contains("remote_write[0].bearer_token: at most one of basic_auth, authorization");
    assertThat(error("""
        remote_write:
          - url: http://a/write
            queue_config: {min_shards: 5, max_shards: 2}
        """)).endsWith("remote_write[0].queue_config.min_shards: remote write queue min_shards must not be greater "
            + "than max_shards");
    assertThat(error("""
        remote_write:
          - url: http://a/write
            queue_config: {min_backoff: 1s, max_backoff: 100ms}
        """)).endsWith("remote write queue max_backoff must not be less than min_backoff");
    assertThat(error("""
        remote_write:
          - url: http://a/write
            queue_config: {capacity: 0}
        """)).endsWith("remote write queue capacity must be positive");
    assertThat(error("""
        remote_write:
          - url: http://a/write
            queue_config: {capacity: 10000000, max_shards: 50}
        """)).endsWith("queue_config.capacity: capacity × max_shards is the in-memory queue's bound and must be at "
            + "most 100000000");
    assertThat(error("""
        remote_write:
          - url: http://a/write
            protobuf_message: prometheus.WriteRequestV3
        """)).endsWith("invalid protobuf_message value: unknown type for remote write protobuf message "
            + "prometheus.WriteRequestV3, supported: prometheus.WriteRequest, io.prometheus.write.v2.Request");
  }

  @Test
  void whatSightlineDoesNotHaveYetIsRefusedByName() {
    assertThat(error("""
        remote_write:
          - url: http://a/write
            protobuf_message: io.prometheus.write.v2.Request
        """)).contains("not supported yet: protobuf_message io.prometheus.write.v2.Request");
    assertThat(error("""
        remote_write:
          - url: https://a/write
            tls_config: {insecure_skip_verify: true}
        """)).isEqualTo("rw.yaml:3:5: remote_write[0].tls_config: not supported yet: tls_config");
    assertThat(error("""
        remote_write:
          - url: http://a/write
            sigv4: {region: eu-west-1}
        """)).contains("not supported yet: sigv4");
    assertThat(error("""
        remote_write:
          - url: http://a/write
            queue_confg: {}
        """)).startsWith("rw.yaml:3:5: remote_write[0].queue_confg: unknown key \"queue_confg\"");
  }
}
