package io.sightline.server.testing;

import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.config.YamlConfigLoader;
import io.sightline.server.Sightline;
import io.sightline.server.config.ConfigSources;
import java.nio.file.Path;

/** Starts servers for tests on free loopback ports, with a data directory of the test's own. */
public final class TestServers {
  private TestServers() {}

  /**
   * A server whose config is the defaults with {@code yaml} laid over them, every port moved to 127.0.0.1:0, and a
   * {@code recording} exporter available.
   */
  public static Sightline start(String yaml, Path dataDir, RecordingExporterFactory recording) throws Exception {
    ConfigMap config = config(yaml, dataDir);
    return Sightline.builder(config).exporter(recording).build().start();
  }

  public static ConfigMap config(String yaml, Path dataDir) {
    YamlConfigLoader loader = new YamlConfigLoader(k -> null);
    ConfigSources sources = new ConfigSources(loader);
    ConfigMap config = ConfigSources.layer(ConfigSources.defaults(), loader.parse("test.yaml", yaml));
    config = sources.set(config, "server.http.endpoint=127.0.0.1:0");
    config = sources.set(config, "server.data_dir='" + dataDir + "'");
    if (config.map("receivers").has("otlp")) {
      config = sources.set(config, "receivers.otlp.protocols.grpc.endpoint=127.0.0.1:0");
      config = sources.set(config, "receivers.otlp.protocols.http.endpoint=127.0.0.1:0");
    }
    return config;
  }
}
