package io.sightline.collector.processor.resource;

import io.sightline.collector.config.YamlConfigLoader;
import io.sightline.collector.pipeline.Telemetry;

/** Lets tests in other packages run the resource processor's transformation. */
public final class ResourceProcessorFactoryAccess {
  private ResourceProcessorFactoryAccess() {}

  public static Telemetry apply(String yaml, Telemetry batch) {
    ResourceProcessorFactory f = new ResourceProcessorFactory();
    return ResourceProcessorFactory.apply(f.parseConfig(new YamlConfigLoader(k -> null).parse("t.yaml", yaml)
        .map("resource")), batch);
  }
}
