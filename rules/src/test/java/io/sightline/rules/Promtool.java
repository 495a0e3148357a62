package io.sightline.rules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's {@code promtool check rules} (Prometheus 2.42) on a file, from the file's directory. */
final class Promtool {
  static final Path BINARY = Path.of("/usr/bin/promtool");

  record Result(boolean success, List<String> errorLines) {}

  private Promtool() {}

  static boolean available() {
    return Files.isExecutable(BINARY);
  }

  /** The lines promtool prints after {@code FAILED:}, blank lines dropped. */
  static Result checkRules(Path file) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(BINARY.toString(), "check", "rules", file.getFileName().toString())
        .directory(file.toAbsolutePath().getParent().toFile())
        .redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("promtool did not finish");
    }
    List<String> lines = new ArrayList<>();
    boolean failed = false;
    for (String line : out.split("\n")) {
      if (line.strip().equals("FAILED:")) {
        failed = true;
      } else if (failed && !line.isBlank()) {
        lines.add(line);
      }
    }
    return new Result(p.exitValue() == 0, lines);
  }
}
