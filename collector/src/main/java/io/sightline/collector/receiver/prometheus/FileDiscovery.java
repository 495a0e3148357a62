package io.sightline.collector.receiver.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sightline.core.model.Labels;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prometheus' file service discovery: target groups read from JSON or YAML files, each labelled with
 * {@code __meta_filepath}. A file that cannot be read or parsed keeps the groups it last gave, as Prometheus keeps
 * them, and the problem is logged.
 */
final class FileDiscovery {
  private static final Logger log = LoggerFactory.getLogger(FileDiscovery.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final List<String> patterns;
  private final Map<Path, List<ScrapeConfig.StaticConfig>> lastGood = new HashMap<>();

  FileDiscovery(List<String> patterns) {
    this.patterns = List.copyOf(patterns);
  }

  /** The groups of every file the patterns match now, in file name order. */
  synchronized List<ScrapeConfig.StaticConfig> groups() {
    TreeSet<Path> files = new TreeSet<>();
    for (String pattern : patterns) {
      files.addAll(expand(Path.of(pattern)));
    }
    lastGood.keySet().retainAll(files);
    List<ScrapeConfig.StaticConfig> out = new ArrayList<>();
    for (Path file : files) {
      try {
        lastGood.put(file, read(file));
      } catch (IOException | RuntimeException e) {
        log.atError().addKeyValue("file", file).addKeyValue("error", e.getMessage())
            .log("file discovery: cannot read targets; keeping the last ones read");
      }
      out.addAll(lastGood.getOrDefault(file, List.of()));
    }
    return out;
  }

  /** A glob is allowed in the last path element only, as in Prometheus. */
  private static List<Path> expand(Path pattern) {
    Path dir = pattern.toAbsolutePath().getParent();
    String name = pattern.getFileName().toString();
    if (!name.contains("*") && !name.contains("?") && !name.contains("[")) {
      return Files.isRegularFile(pattern) ? List.of(pattern) : List.of();
    }
    List<Path> out = new ArrayList<>();
    if (dir == null || !Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, name)) {
      for (Path p : entries) {
        if (Files.isRegularFile(p)) {
          out.add(p);
        }
      }
    } catch (IOException e) {
      log.atError().addKeyValue("pattern", pattern).addKeyValue("error", e.getMessage())
          .log("file discovery: cannot list directory");
    }
    return out;
  }

  static List<ScrapeConfig.StaticConfig> read(Path file) throws IOException {
    String name = file.getFileName().toString();
    JsonNode root = (name.endsWith(".json") ? JSON : YAML).readTree(file.toFile());
    List<ScrapeConfig.StaticConfig> groups = new ArrayList<>();
    if (root == null || root.isNull() || root.isMissingNode()) {
      return groups;
    }
    if (!root.isArray()) {
      throw new IOException("expected a list of target groups");
    }
    for (JsonNode group : root) {
      List<String> targets = new ArrayList<>();
      for (JsonNode t : group.path("targets")) {
        targets.add(t.asText());
      }
      Labels.Builder labels = Labels.builder().set("__meta_filepath", file.toString());
      var fields = group.path("labels").fields();
      while (fields.hasNext()) {
        var e = fields.next();
        labels.set(e.getKey(), e.getValue().asText());
      }
      groups.add(new ScrapeConfig.StaticConfig(List.copyOf(targets), labels.build()));
    }
    return groups;
  }
}
