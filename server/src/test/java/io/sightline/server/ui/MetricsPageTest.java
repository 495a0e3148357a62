package io.sightline.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.BoundingBox;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Metrics explore page: the PromQL editor with completion and parse errors, graph, table, exemplars, the URL. */
class MetricsPageTest extends BrowserTest {

  private Locator editor() {
    return page.locator("sl-query-editor textarea");
  }

  private Locator options() {
    return page.locator("sl-query-editor li[role=option]");
  }

  private Locator legend() {
    return page.locator("sl-graph .legend [role=listitem]");
  }

  private void open(String query, String extra) {
    page.navigate(url("/ui/metrics?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + extra));
  }

  private String param(String name) {
    String search = page.url().contains("?") ? page.url().substring(page.url().indexOf('?') + 1) : "";
    for (String pair : search.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  @Test
  void completionWritesAMetricThenALabelThenAValueFromTheKeyboard() throws Exception {
    page.navigate(url("/ui/metrics"));
    assertThat(editor()).isFocused();

    page.keyboard().type("shop_http_req");
    assertThat(options().filter(new Locator.FilterOptions().setHasText("shop_http_requests_total"))).isVisible();
    assertThat(options().first()).containsText("shop_http_request_duration_seconds_bucket");
    screenshot("metric-names");
    page.keyboard().type("uests_t");
    assertThat(options()).hasCount(1);
    page.keyboard().press("Tab");
    assertThat(editor()).hasValue("shop_http_requests_total");

    page.keyboard().type("{");
    assertThat(options()).hasText(new String[] {"instancelabel", "joblabel", "statuslabel"});
    page.keyboard().type("st");
    assertThat(options().first()).containsText("status");
    page.keyboard().press("Enter");
    assertThat(editor()).hasValue("shop_http_requests_total{status=\"");

    assertThat(options()).hasText(new String[] {"200status", "500status"});
    page.keyboard().press("ArrowDown");
    assertThat(options().nth(1)).hasAttribute("aria-selected", "true");
    screenshot("label-values");
    page.keyboard().press("Enter");
    assertThat(editor()).hasValue("shop_http_requests_total{status=\"500\"");
    page.keyboard().type("}");
    page.keyboard().press("Enter");

    assertThat(page).hasURL(Pattern.compile("query=shop_http_requests_total%7Bstatus%3D%22500%22%7D"));
    assertThat(legend()).hasCount(3);
    assertThat(legend().first()).containsText("status=\"500\"");
    assertThat(page.locator(".stat")).containsText("3 series");
  }

  @Test
  void functionsAreOfferedWithTheirSignatureAndRangesAfterABracket() throws Exception {
    page.navigate(url("/ui/metrics"));
    assertThat(editor()).isFocused();
    page.keyboard().type("histogram_qu");
    assertThat(options().first()).containsText("histogram_quantile(φ scalar, b instant-vector)");
    page.keyboard().press("Enter");
    assertThat(editor()).hasValue("histogram_quantile()");
    page.keyboard().type("0.9, rate(shop_http_request_duration_seconds_bucket[");
    assertThat(options().first()).containsText("1m");
    page.keyboard().type("5");
    page.keyboard().press("Enter");
    assertThat(editor()).hasValue("histogram_quantile(0.9, rate(shop_http_request_duration_seconds_bucket[5m])");
    screenshot("durations");

    // Nothing pops up in an empty place while typing; Ctrl+Space asks for everything that fits there.
    editor().fill("sum(");
    assertThat(options()).hasCount(0);
    page.keyboard().press("Control+Space");
    assertThat(options().filter(new Locator.FilterOptions().setHasText("process_resident_memory_bytes"))).isVisible();
    assertThat(page.getByRole(AriaRole.OPTION, new Page.GetByRoleOptions().setName("rate rate(v range-vector)")
        .setExact(true))).isVisible();

    // A grouping lists the label names of the query's metric.
    editor().fill("sum by () (process_resident_memory_bytes)");
    editor().press("Home");
    for (int i = 0; i < "sum by (".length(); i++) {
      editor().press("ArrowRight");
    }
    page.keyboard().type("j");
    assertThat(options()).hasText(new String[] {"joblabel"});
    page.keyboard().press("Enter");
    assertThat(editor()).hasValue("sum by (job) (process_resident_memory_bytes)");
  }

  @Test
  void aParseErrorIsShownUnderTheEditorInTheServersWords() throws Exception {
    page.navigate(url("/ui/metrics"));
    assertThat(editor()).isFocused();
    page.keyboard().type("sum(rate(shop_http_requests_total[5m])");
    Locator error = page.locator("sl-query-editor .error");
    assertThat(error).containsText("parse error");
    assertThat(editor()).hasAttribute("aria-invalid", "true");
    screenshot("parse-error");

    page.keyboard().type(")");
    assertThat(error).hasCount(0);
    page.keyboard().press("Enter");
    assertThat(legend()).hasCount(1);

    // An error found only when the query runs lands in the same place.
    editor().fill("rate(shop_http_requests_total)");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run query")).click();
    assertThat(error).containsText("range vector");

    // An error of the evaluation is not the editor's: it replaces the result, in the server's words.
    expectConsoleError("status of 422 \\(Unprocessable Entity\\)");
    editor().fill("shop_http_requests_total + on(job) shop_http_requests_total");
    page.keyboard().press("Enter");
    assertThat(page.locator("sl-metrics-page sl-error")).containsText("many-to-many matching not allowed");
    assertThat(error).hasCount(0);
    assertThat(legend()).hasCount(0);
    screenshot("execution-error");
  }

  @Test
  void theGraphDrawsEverySeriesWithItsLegendAndHoverValues() throws Exception {
    open("shop_http_requests_total", "&from=now-1h&to=now");
    assertThat(legend()).hasCount(6);
    assertThat(legend()).containsText(new String[] {
        "shop_http_requests_total{instance=\"order-service:8080\", job=\"order-service\", status=\"200\"}"});
    assertThat(page.locator(".stat")).containsText("6 series");
    assertThat(page.locator(".stat")).containsText("step");

    BoundingBox plot = page.locator("sl-graph .u-over").boundingBox();
    page.mouse().move(plot.x + plot.width * 0.5, plot.y + plot.height * 0.5);
    assertThat(legend().first().locator(".value")).hasText(Pattern.compile("\\d"));
    screenshot("hover");

    page.getByLabel("Switch theme").click();
    assertThat(legend()).hasCount(6);
    screenshot("dark");
  }

  @Test
  void draggingAcrossTheGraphZoomsAndTheBackButtonReturns() throws Exception {
    open("sum by (job) (rate(shop_http_requests_total[5m]))", "&from=now-1h&to=now");
    assertThat(legend()).hasCount(3);
    BoundingBox plot = page.locator("sl-graph .u-over").boundingBox();
    double y = plot.y + plot.height / 2;
    page.mouse().move(plot.x + plot.width * 0.3, y);
    page.mouse().down();
    page.mouse().move(plot.x + plot.width * 0.5, y, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(8));
    page.mouse().move(plot.x + plot.width * 0.6, y, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(4));
    page.mouse().up();

    assertThat(page).hasURL(Pattern.compile("from=\\d{13}&to=\\d{13}"));
    long from = Long.parseLong(param("from"));
    long to = Long.parseLong(param("to"));
    // Three tenths of an hour, give or take the pixels of the drag.
    assertThat(to - from).isBetween(15 * 60_000L, 21 * 60_000L);
    assertThat(page.locator("sl-time-picker button.range")).containsText(" to ");
    assertThat(legend()).hasCount(3);
    screenshot("zoomed");

    page.goBack();
    assertThat(page).hasURL(Pattern.compile("from=now-1h"));
    assertThat(page.locator("sl-time-picker button.range")).containsText("Last 1 hour");
  }

  @Test
  void theTableShowsTheInstantResultWithLabelsAsColumns() throws Exception {
    open("count by (job) (shop_http_requests_total)", "&tab=table");
    Locator rows = page.locator("sl-result-table tbody tr");
    assertThat(rows).hasCount(3);
    assertThat(rows.locator("td.series")).hasText(new String[] {"{job=\"inventory-service\"}",
        "{job=\"order-service\"}", "{job=\"payment-service\"}"});
    assertThat(rows.locator("td.value")).hasText(new String[] {"2", "2", "2"});
    assertThat(page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Table")))
        .hasAttribute("aria-selected", "true");

    page.getByLabel("Labels as columns").check();
    assertThat(page).hasURL(Pattern.compile("columns=true"));
    assertThat(page.locator("sl-result-table thead th")).hasText(new String[] {"job", "Value"});
    screenshot("columns");

    // Values are grouped in thousands; the exact value is in the title.
    editor().fill("sum(process_resident_memory_bytes) > 1000");
    page.keyboard().press("Enter");
    Locator value = rows.first().locator("td.value");
    assertThat(value).hasText(Pattern.compile("^\\d{1,3}(,\\d{3})+$"));
    assertThat(value).hasAttribute("title", Pattern.compile("^\\d+$"));

    editor().fill("scalar(count(shop_http_requests_total))");
    page.keyboard().press("Enter");
    assertThat(rows.locator("td.value")).hasText(new String[] {"6"});
    assertThat(page.locator(".stat")).containsText("scalar result");

    // A range selector's samples, each with its time: four of the 15 s samples in the minute before the last one.
    long last = data.anchorMillis();
    open("shop_http_requests_total{job=\"order-service\", status=\"200\"}[1m]",
        "&tab=table&from=" + (last - 3_600_000) + "&to=" + last);
    assertThat(rows).hasCount(1);
    assertThat(rows.first().locator("td.samples")).hasText(Pattern.compile("^([\\d,]+ @ [\\d-]+ [\\d:]+\\s*){4}$"));
  }

  @Test
  void theApisWarningsAndInfosAreShownAboveTheResult() throws Exception {
    open("rate(process_resident_memory_bytes[5m])", "");
    assertThat(legend()).hasCount(3);
    assertThat(page.locator("sl-metrics-page .warnings")).containsText("might not be a counter");
    screenshot("info");
  }

  @Test
  void aSharedLinkReproducesTheView() throws Exception {
    page.navigate(url("/ui/metrics"));
    assertThat(editor()).isFocused();
    page.keyboard().type("sum by (status) (shop_http_requests_total)");
    page.keyboard().press("Escape");
    page.keyboard().press("Enter");
    assertThat(legend()).hasCount(2);
    page.locator("sl-time-picker button.range").click();
    page.getByRole(AriaRole.MENUITEM, new Page.GetByRoleOptions().setName("Last 30 minutes")).click();
    page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Table")).click();
    page.getByLabel("Auto refresh").selectOption("1m");
    assertThat(page.locator("sl-result-table tbody tr")).hasCount(2);
    String shared = page.url();
    assertThat(shared).contains("from=now-30m", "tab=table", "refresh=1m");
    String rowsBefore = page.locator("sl-result-table tbody").innerText();

    Page other = context.newPage();
    other.navigate(shared);
    assertThat(other.locator("sl-query-editor textarea")).hasValue("sum by (status) (shop_http_requests_total)");
    assertThat(other.locator("sl-time-picker button.range")).containsText("Last 30 minutes");
    assertThat(other.getByLabel("Auto refresh")).hasValue("1m");
    assertThat(other.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Table")))
        .hasAttribute("aria-selected", "true");
    assertThat(other.locator("sl-result-table tbody")).hasText(rowsBefore);
    other.close();

    page.goBack();
    assertThat(page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Graph")))
        .hasAttribute("aria-selected", "true");
    assertThat(legend()).hasCount(2);
  }

  @Test
  void anExemplarDotShowsItsLabelsAndOpensItsTrace() throws Exception {
    open("histogram_quantile(0.9, sum by (le) (rate(shop_http_request_duration_seconds_bucket[5m])))",
        "&from=now-1h&to=now");
    assertThat(legend()).hasCount(1);
    assertThat(legend().first()).containsText("histogram_quantile(0.9, sum by (le)");
    page.getByLabel("Show exemplars").check();
    assertThat(page).hasURL(Pattern.compile("exemplars=true"));

    UiDataSet.ShopTrace trace = data.traces().get(10);
    Locator dot = page.locator("sl-graph a.exemplar[data-trace-id=\"" + trace.traceId() + "\"]");
    assertThat(dot).isVisible();
    assertThat(page.locator(".stat")).containsText(Pattern.compile("([3-9]\\d) exemplars"));
    dot.hover();
    Locator tip = page.locator("sl-graph .exemplar-tip");
    assertThat(tip).containsText("trace_id=\"" + trace.traceId() + "\"");
    assertThat(tip).containsText("span_id=\"" + trace.rootSpanId() + "\"");
    assertThat(tip).containsText("le=\"0.25\"");
    screenshot("exemplar-hover");

    assertThat(dot).hasAttribute("href", "/ui/trace/" + trace.traceId());
    dot.click();
    assertThat(page).hasURL(url("/ui/trace/" + trace.traceId()));
    assertThat(page.locator("sl-trace-page h1")).containsText(UiDataSet.ORDER + ": POST /orders");
    screenshot("trace");

    // Back on the graph, as it was.
    page.goBack();
    assertThat(page.getByLabel("Show exemplars")).isChecked();
    assertThat(dot).isVisible();
  }

  @Test
  void aRunningQueryShowsALoadingIndicatorUntilItsAnswerArrives() throws Exception {
    java.util.List<com.microsoft.playwright.Route> held = new java.util.ArrayList<>();
    page.route("**/api/v1/query_range", held::add);
    open("process_resident_memory_bytes", "");
    Locator loading = page.locator("sl-metrics-page sl-loading");
    assertThat(loading.first()).isVisible();
    page.waitForCondition(() -> !held.isEmpty());
    screenshot("loading");
    page.unroute("**/api/v1/query_range");
    held.forEach(com.microsoft.playwright.Route::resume);
    assertThat(legend()).hasCount(3);
    assertThat(loading).hasCount(0);
  }

  @Test
  void everyControlIsReachableWithTheKeyboard() throws Exception {
    open("process_resident_memory_bytes", "");
    assertThat(editor()).isFocused();
    assertThat(legend()).hasCount(3);
    page.keyboard().press("Tab");
    assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run query"))).isFocused();
    page.keyboard().press("Tab");
    page.keyboard().press("Tab");
    Locator table = page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Table"));
    assertThat(table).isFocused();
    page.keyboard().press("Enter");
    assertThat(page).hasURL(Pattern.compile("tab=table"));
    assertThat(page.locator("sl-result-table tbody tr")).hasCount(3);
    page.keyboard().press("Shift+Tab");
    page.keyboard().press("Enter");
    assertThat(page).hasURL(Pattern.compile("tab=graph"));
    page.keyboard().press("Tab");
    page.keyboard().press("Tab");
    page.keyboard().press("Space");
    assertThat(page).hasURL(Pattern.compile("exemplars=true"));
    screenshot("keyboard");
  }

  @Test
  void autoRefreshRunsTheQueryAgain() throws Exception {
    open("shop_http_requests_total", "&refresh=5s");
    assertThat(legend()).hasCount(6);
    page.waitForRequest(r -> r.url().endsWith("/api/v1/query_range"), new Page.WaitForRequestOptions()
        .setTimeout(12_000), () -> { });
    assertThat(page.getByLabel("Auto refresh")).hasValue("5s");
    assertThat(legend()).hasCount(6);
  }
}
