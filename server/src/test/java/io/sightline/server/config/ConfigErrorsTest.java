package io.sightline.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.collector.config.ConfigException;
import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.config.YamlConfigLoader;
import io.sightline.server.Sightline;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config mistake fails the start, naming the file, the line and the key. */
class ConfigErrorsTest {
  @TempDir
  Path dir;

  private Sightline build(String yaml) throws Exception {
    Path file = dir.resolve("sightline.yaml");
    Files.writeString(file, yaml);
    return build(List.of(file), List.of());
  }

  private Sightline build(List<Path> files, List<String> overrides) {
    ConfigMap config = new ConfigSources(new YamlConfigLoader(Map.of("OTLP_PORT", "14317")::get))
        .assemble(files, overrides);
    return Sightline.builder(config).build();
  }

  private String errorOf(String yaml) {
    try {
      build(yaml);
    } catch (ConfigException e) {
      return e.getMessage();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a ConfigException for:\n" + yaml);
  }

  @Test
  void defaultsAreValid() {
    Sightline s = build(List.of(), List.of());
    assertThat(s.serverConfig().httpEndpoint().getPort()).isEqualTo(3000);
    assertThat(s.serverConfig().dataDir()).isEqualTo(Path.of("./data"));
  }

  @Test
  void metricsGeneratorAndItsRemoteWriteMistakesFailTheStart() {
    assertThat(errorOf("""
        metrics_generator:
          registry:
            colection_interval: 1s
        """)).startsWith(dir.resolve("sightline.yaml") + ":3:5: metrics_generator.registry.colection_interval: "
            + "unknown key \"colection_interval\"");
    assertThat(errorOf("""
        metrics_generator:
          storage:
            remote_write:
              - url: http://prometheus:9090/api/v1/write
                headers: {User-Agent: me}
        """)).isEqualTo(dir.resolve("sightline.yaml") + ":5:19: metrics_generator.storage.remote_write[0].headers"
            + ".User-Agent: User-Agent is a reserved header. It must not be changed");
    assertThat(errorOf("""
        metrics_generator:
          storage:
            path: /var/tempo/generator/wal
        """)).startsWith(dir.resolve("sightline.yaml") + ":3:5: metrics_generator.storage.path: "
            + "not supported yet: path");
  }

  @Test
  void unknownKeyNamesFileLineAndKey() {
    String error = errorOf("""
        processors:
          batch:
            timeot: 1s
        """);
    assertThat(error).startsWith(dir.resolve("sightline.yaml") + ":3:5: processors.batch.timeot: unknown key \"timeot\"");
    assertThat(error).contains("valid keys:").contains("timeout");
  }

  @Test
  void wrongTypeNamesTheKey() {
    assertThat(errorOf("""
        receivers:
          otlp:
            protocols:
              grpc:
                max_recv_msg_size_mib: lots
        """)).endsWith(":5:32: receivers.otlp.protocols.grpc.max_recv_msg_size_mib: invalid value \"lots\": expected an integer");
    assertThat(errorOf("""
        server:
          shutdown_timeout: soon
        """)).contains(":2:21: server.shutdown_timeout: invalid value \"soon\": expected a duration");
    assertThat(errorOf("""
        server:
          http: 3000
        """)).contains(":2:9: server.http: expected a map, got a value");
  }

  @Test
  void unknownTopLevelKey() {
    assertThat(errorOf("""
        recievers:
          otlp: {}
        """)).contains(":1:1: recievers: unknown key \"recievers\"");
  }

  @Test
  void unknownComponentTypeListsTheValidOnes() {
    assertThat(errorOf("""
        exporters:
          kafkaa: {}
        """)).contains("exporters.kafkaa: unknown type \"kafkaa\" for id \"kafkaa\" (valid values: [");
  }

  @Test
  void plannedComponentSaysNotSupportedYet() {
    assertThat(errorOf("""
        exporters:
          loki: {endpoint: "http://loki:3100/loki/api/v1/push"}
        """)).contains(":2:3: exporters.loki: not supported yet: exporters type \"loki\"");
  }

  @Test
  void theSeedCollectorConfigLoadsUnchanged() throws URISyntaxException {
    Path seed = Path.of(getClass().getResource("/collector-configs/seed.yaml").toURI());
    assertThat(build(List.of(seed), List.of())).isNotNull();
  }

  @Test
  void seedShapedConfigLoads() throws URISyntaxException {
    Path seedShape = Path.of(getClass().getResource("/collector-configs/seed-shape.yaml").toURI());
    Sightline s = build(List.of(seedShape), List.of());
    assertThat(s).isNotNull();
  }

  @Test
  void pipelineReferencingAnUndefinedComponent() {
    assertThat(errorOf("""
        service:
          pipelines:
            traces:
              receivers: [otlp]
              exporters: [debug/missing]
        """)).contains(":5:19: service.pipelines.traces.exporters[0]: references exporter \"debug/missing\" which is not "
            + "configured in the exporters section");
  }

  @Test
  void pipelineOfUnknownSignal() {
    assertThat(errorOf("""
        service:
          pipelines:
            profiles:
              receivers: [otlp]
              exporters: [debug]
        """)).contains("service.pipelines.profiles: unknown pipeline type \"profiles\"");
  }

  @Test
  void memoryLimiterValidation() {
    assertThat(errorOf("""
        processors:
          memory_limiter:
            check_interval: 1s
            limit_mib: 100
            spike_limit_mib: 200
        """)).contains("processors.memory_limiter.spike_limit_mib: must be smaller than limit_mib");
    assertThat(errorOf("""
        processors:
          memory_limiter:
            limit_mib: 100
        """)).contains("processors.memory_limiter.check_interval: must be greater than zero");
  }

  @Test
  void invalidYamlNamesTheLine() {
    assertThat(errorOf("""
        receivers:
          otlp: [unclosed
        """)).contains("sightline.yaml:").contains("invalid YAML");
  }

  @Test
  void environmentVariablesExpandAndMissingOnesFail() {
    Sightline ok = build(List.of(), List.of("receivers.otlp.protocols.grpc.endpoint=127.0.0.1:${env:OTLP_PORT}"));
    assertThat(ok).isNotNull();
    assertThat(errorOf("""
        server:
          data_dir: ${env:NOT_SET_ANYWHERE}
        """)).contains("server.data_dir: environment variable NOT_SET_ANYWHERE is not set");
  }

  @Test
  void setOverridesTheFileAndIsValidatedToo() throws Exception {
    Path file = dir.resolve("a.yaml");
    Files.writeString(file, "server:\n  data_dir: /from/file\n");
    Sightline s = build(List.of(file), List.of("server.data_dir=/from/flag"));
    assertThat(s.serverConfig().dataDir()).isEqualTo(Path.of("/from/flag"));
    assertThatThrownBy(() -> build(List.of(), List.of("processors.batch.send_batch_size=many")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--set processors.batch.send_batch_size: processors.batch.send_batch_size: invalid value");
  }

  @Test
  void aFileWithPipelinesReplacesTheDefaultPipelines() throws Exception {
    Path file = dir.resolve("only-traces.yaml");
    Files.writeString(file, """
        service:
          pipelines:
            traces:
              receivers: [otlp]
              exporters: [debug]
        """);
    ConfigMap config = new ConfigSources(new YamlConfigLoader(k -> null)).assemble(List.of(file), List.of());
    assertThat(config.map("service").map("pipelines").keys()).containsExactly("traces");
  }
}
