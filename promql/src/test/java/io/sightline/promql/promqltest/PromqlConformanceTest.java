package io.sightline.promql.promqltest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sightline.promql.engine.Engine;
import io.sightline.promql.engine.EngineOptions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Prometheus' own PromQL test suite against Sightline's engine. The directory is the setting
 * {@code sightline.promql.conformance} (system property) or {@code SIGHTLINE_PROMQL_CONFORMANCE} (environment), else
 * the first {@code shared/conformance/promql} found walking up from the working directory; without one the test is
 * skipped and says so. Prints {@code PromQL conformance: P of N evals pass} per file and in total, writes every failing
 * eval to {@code target/promql-conformance.txt}, and fails when fewer pass than the committed baseline
 * ({@code promql-conformance-baseline.properties}), so that the count only ratchets up.
 */
class PromqlConformanceTest {
  private static final Duration EVAL_TIMEOUT = Duration.ofSeconds(20);

  @Test
  void prometheusTestSuite() throws Exception {
    Path dir = directory();
    String missing = "PromQL conformance suite not found: set -Dsightline.promql.conformance=<dir> or "
        + "SIGHTLINE_PROMQL_CONFORMANCE to the directory of Prometheus' *.test files (../shared/conformance/promql)";
    if (dir == null) {
      System.out.println("PromQL conformance: skipped: " + missing); // on the console, not only in the report
    }
    assumeTrue(dir != null, missing);
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
    }
    // The test engine's settings as Prometheus' test engine has them: 5m lookback, 100 s timeout.
    Engine engine = new Engine(new EngineOptions(Duration.ofMinutes(5), 50_000_000, Duration.ofSeconds(100)));
    Properties baseline = new Properties();
    try (InputStream in = getClass().getResourceAsStream("/promql-conformance-baseline.properties")) {
      if (in != null) {
        baseline.load(in);
      }
    }
    StringBuilder report = new StringBuilder();
    int passed = 0;
    int total = 0;
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "promql-conformance");
      t.setDaemon(true);
      return t;
    });
    try {
      for (Path file : files) {
        String name = file.getFileName().toString();
        TestScript script = TestScript.parse(Files.readString(file));
        // Each file runs on its own thread with a deadline, so that a hanging eval cannot hang the build.
        Future<List<ScriptRunner.Verdict>> future = executor.submit(() -> new ScriptRunner(engine).run(script));
        List<ScriptRunner.Verdict> verdicts;
        try {
          verdicts = future.get(EVAL_TIMEOUT.toSeconds() * Math.max(1, script.commands.size() / 10),
              TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          future.cancel(true);
          executor.shutdownNow();
          executor = Executors.newSingleThreadExecutor();
          report.append(name).append(": timed out\n");
          total += (int) script.commands.stream().filter(c -> c instanceof TestScript.Eval).count();
          continue;
        }
        int filePassed = 0;
        for (ScriptRunner.Verdict v : verdicts) {
          if (v.reason() == null) {
            filePassed++;
          } else {
            report.append(name).append(':').append(v.line()).append(": ").append(v.expr()).append(" — ")
                .append(v.reason()).append('\n');
          }
        }
        System.out.printf("PromQL conformance: %s: %d of %d evals pass%n", name, filePassed, verdicts.size());
        int fileBaseline = Integer.parseInt(baseline.getProperty(name, "0"));
        if (filePassed < fileBaseline) {
          report.insert(0, name + ": " + filePassed + " pass, below its baseline of " + fileBaseline + "\n");
        }
        passed += filePassed;
        total += verdicts.size();
      }
    } finally {
      executor.shutdownNow();
    }
    Path out = Path.of("target", "promql-conformance.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report.toString());
    System.out.printf("PromQL conformance: %d of %d evals pass (failures listed in %s)%n", passed, total,
        out.toAbsolutePath());
    int required = Integer.parseInt(baseline.getProperty("total", "0"));
    if (passed > required) {
      System.out.printf("PromQL conformance: %d pass, above the baseline of %d: raise total= in "
          + "promql/src/test/resources/promql-conformance-baseline.properties%n", passed, required);
    }
    assertThat(passed).as("PromQL conformance: %d of %d evals pass, below the committed baseline of %d; see %s",
        passed, total, required, out.toAbsolutePath()).isGreaterThanOrEqualTo(required);
  }

  /** The suite's directory from the setting, else found above the working directory, else null. */
  static Path directory() {
    String setting = System.getProperty("sightline.promql.conformance", System.getenv("SIGHTLINE_PROMQL_CONFORMANCE"));
    if (setting != null && !setting.isBlank()) {
      Path p = Path.of(setting);
      return Files.isDirectory(p) ? p : null;
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared").resolve("conformance").resolve("promql");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return null;
  }

}
