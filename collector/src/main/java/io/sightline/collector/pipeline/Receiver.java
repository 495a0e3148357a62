package io.sightline.collector.pipeline;

import java.util.Map;

/** Takes telemetry from outside (a port, a scrape, a file) and hands it to the pipelines' consumers. */
public interface Receiver extends Component {

  /**
   * The ports a started receiver listens on, by transport ({@code grpc}, {@code http}): the real ones, also when the
   * config asked for port 0.
   */
  default Map<String, Integer> ports() {
    return Map.of();
  }

}
