package io.sightline.rules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A Prometheus rule file: its name (as messages cite it) and its groups. */
public record RuleFile(String name, List<RuleGroup> groups) {

  public RuleFile {
    groups = List.copyOf(groups);
  }

  /** Reads and validates a file; on failure every problem is listed, as promtool does. */
  public static RuleFile load(Path path) throws IOException, RuleFileException {
    return parse(path.toString(), Files.readString(path, StandardCharsets.UTF_8));
  }

  /** Validates {@code content}; {@code name} only prefixes the messages. */
  public static RuleFile parse(String name, String content) throws RuleFileException {
    return new RuleFileReader(name).read(content);
  }
}
