package io.sightline.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.sightline.server.Sightline;
import io.sightline.server.testing.RecordingExporterFactory;
import io.sightline.server.testing.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base of the UI tests: one server per test class, filled with {@link UiDataSet}, and Debian's Chromium driven by
 * Playwright (never a downloaded browser). Each test gets a fresh page; a console error or an uncaught exception in
 * the page fails the test, and a screenshot of where the test ended is written to {@code target/ui-screenshots}.
 *
 * <p>Without Chromium the tests are skipped, saying what to install ({@code .ci/run} installs it).
 */
public abstract class BrowserTest {
  /** The metrics generator flushes every second here, so span metrics exist moments after the spans. */
  private static final String CONFIG = """
      metrics_generator:
        registry:
          collection_interval: 1s
        processor:
          service_graphs:
            wait: 2s
      """;
  private static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");
  private static final java.util.regex.Pattern EXPECTED_API_REFUSAL = java.util.regex.Pattern.compile(
      "^Failed to load resource: the server responded with a status of (400|404) ");

  @TempDir
  static Path dataDir;

  protected static Sightline server;
  protected static UiDataSet data;
  private static Playwright playwright;
  protected static Browser browser;

  protected BrowserContext context;
  protected Page page;
  private final List<String> pageErrors = new ArrayList<>();
  private final List<java.util.regex.Pattern> expectedConsoleErrors = new ArrayList<>();
  private String testName;

  /** Debian's Chromium, or the one named by {@code SIGHTLINE_CHROMIUM}; null when there is none. */
  static Path chromium() {
    String configured = System.getenv("SIGHTLINE_CHROMIUM");
    for (String candidate : configured != null ? List.of(configured) : List.of("/usr/bin/chromium",
        "/usr/bin/chromium-browser")) {
      Path p = Path.of(candidate);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  @BeforeAll
  static void startServerAndBrowser() throws Exception {
    Path chromium = chromium();
    if (chromium == null) {
      String message = "UI tests skipped: Debian's Chromium is not installed (apt-get install chromium), "
          + "or set SIGHTLINE_CHROMIUM to a Chromium binary";
      System.err.println(message);
      Assumptions.abort(message);
    }
    server = TestServers.start(CONFIG, dataDir, new RecordingExporterFactory());
    data = UiDataSet.load(server.receiverPorts("otlp").get("grpc"), server.httpPort());
    awaitGeneratedMetrics();
    playwright = Playwright.create(new Playwright.CreateOptions()
        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium)
        .setHeadless(true));
  }

  @AfterAll
  static void stopServerAndBrowser() {
    if (browser != null) {
      browser.close();
      browser = null;
    }
    if (playwright != null) {
      playwright.close();
      playwright = null;
    }
    if (server != null) {
      server.close();
      server = null;
    }
  }

  @BeforeEach
  void openPage(TestInfo info) {
    testName = getClass().getSimpleName() + "-" + info.getTestMethod().map(m -> m.getName()).orElse("test");
    context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1400, 900)
        .setTimezoneId("UTC").setLocale("en-US"));
    context.setDefaultTimeout(15_000);
    page = context.newPage();
    page.onConsoleMessage(m -> {
      // Chromium logs every 4xx answer to fetch; a query the API refuses (a parse error, an unknown trace) is a
      // flow the tests click through on purpose and assert on what the page shows, so that line alone is not a
      // failure. 5xx answers, console.error and uncaught exceptions still are.
      if (m.type().equals("error") && !EXPECTED_API_REFUSAL.matcher(m.text()).find()
          && expectedConsoleErrors.stream().noneMatch(p -> p.matcher(m.text()).find())) {
        pageErrors.add("console: " + m.text() + " at " + m.location());
      }
    });
    page.onPageError(e -> pageErrors.add("uncaught: " + e));
  }

  @AfterEach
  void closePage() throws Exception {
    if (page != null) {
      screenshot("end");
      context.close();
    }
    assertThat(pageErrors).as("errors in the browser during " + testName).isEmpty();
  }

  /**
   * Lets console errors matching {@code regex} pass: Chromium reports every 4xx answer in the console, also the 400
   * of a query the test types wrong on purpose, which the page shows as the query's error.
   */
  protected void expectConsoleError(String regex) {
    expectedConsoleErrors.add(java.util.regex.Pattern.compile(regex));
  }

  /** The page's URL for a path under the server, such as {@code /ui/metrics?query=up}. */
  protected static String url(String path) {
    return "http://127.0.0.1:" + server.httpPort() + path;
  }

  /** Writes a full-page screenshot named after the test and {@code step} under target/ui-screenshots. */
  protected void screenshot(String step) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
        .setPath(SCREENSHOTS.resolve(testName + "-" + step + ".png")));
  }

  /**
   * Waits (at most 30 s) until the metrics generator has written span metrics and service-graph edges for the data
   * set's recent traces, so every test starts from the same state.
   */
  private static void awaitGeneratedMetrics() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + 30_000_000_000L;
    String[] queries = {"traces_spanmetrics_calls_total", "traces_service_graph_request_total"};
    for (String query : queries) {
      while (true) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url("/api/v1/query?query=" + query)))
            .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("\"metric\"")) {
          break;
        }
        assertThat(System.nanoTime()).as("generated metrics for " + query + ": " + r.body()).isLessThan(deadline);
        Thread.sleep(250);
      }
    }
  }
}
