package io.sightline.collector.config;

import java.util.ArrayList;
import java.util.List;

/** A YAML sequence. */
public record ConfigList(String path, Location location, List<ConfigNode> items) implements ConfigNode {

  public ConfigList {
    items = List.copyOf(items);
  }

  @Override
  public String kind() {
    return "a list";
  }

  @Override
  public ConfigList withPath(String newPath) {
    List<ConfigNode> moved = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      moved.add(items.get(i).withPath(newPath + "[" + i + "]"));
    }
    return new ConfigList(newPath, location, moved);
  }
}
