package io.sightline.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.options.BoundingBox;
import com.microsoft.playwright.options.RequestOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The logs page (Explore for Loki) against the data set's OTLP logs: completion, lines and their details, the
 * volume, the cross-links other pages make, errors, metric queries and live tail.
 */
class LogsPageTest extends BrowserTest {
  private static final String PAYMENT_DECLINED = "{service_name=\"payment-service\"} |= \"declined\"";

  private Locator editor() {
    return page.locator("sl-logs-page sl-query-editor textarea");
  }

  private Locator selectedCompletion() {
    return page.locator("sl-logs-page sl-query-editor li[aria-selected=true]");
  }

  private Locator lines() {
    return page.locator("sl-logs-page sl-log-lines .entry .text");
  }

  private Locator count() {
    return page.locator("sl-logs-page section.lines .count");
  }

  private Locator volumeLegend() {
    return page.locator("sl-logs-page section.volume sl-graph .legend");
  }

  /** A row of a details table: the name, then the value (the filter buttons come before both). */
  private static Pattern row(String name, String value) {
    return Pattern.compile(name + "\\s+" + value); // Playwright runs it as a JS regex, so no Pattern.quote
  }

  private static String logsUrl(String query, String... more) {
    StringBuilder s = new StringBuilder("/ui/logs?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
    for (String m : more) {
      s.append('&').append(m);
    }
    return url(s.toString());
  }

  /** The failed payments of the hour, newest first: every fifth trace from the fourth on. */
  private static String[] declinedLines() {
    return data.traces().stream().filter(UiDataSet.ShopTrace::failed)
        .map(t -> "charge failed for order-" + data.traces().indexOf(t) + ": card declined")
        .sorted((a, b) -> Integer.compare(order(b), order(a))).toArray(String[]::new);
  }

  private static int order(String line) {
    return Integer.parseInt(line.replaceAll(".*order-(\\d+).*", "$1"));
  }

  @Test
  void completionByKeyboardBuildsTheSelectorAndALineFilterFindsTheDeclinedCharges() throws Exception {
    page.navigate(url("/ui/logs"));
    editor().focus();
    page.keyboard().type("{");
    assertThat(page.locator("sl-logs-page sl-query-editor li")).containsText(new String[] {
        "deployment_environment_name", "service_instance_id", "service_name", "service_namespace"});
    page.keyboard().type("service_n");
    assertThat(selectedCompletion()).containsText("service_name");
    screenshot("label-names");
    page.keyboard().press("Enter");
    assertThat(editor()).hasValue("{service_name=");
    assertThat(page.locator("sl-logs-page sl-query-editor li")).containsText(new String[] {
        "inventory-service", "order-service", "payment-service"});
    page.keyboard().type("\"pay");
    assertThat(selectedCompletion()).containsText("payment-service");
    page.keyboard().press("Tab");
    page.keyboard().type("} |");
    assertThat(selectedCompletion()).containsText("|=");
    assertThat(page.locator("sl-logs-page sl-query-editor ul")).containsText("json");
    screenshot("pipeline-completion");
    page.keyboard().press("Enter");
    page.keyboard().type("declined");
    assertThat(editor()).hasValue(PAYMENT_DECLINED);
    page.keyboard().press("Enter");

    assertThat(page).hasURL(Pattern.compile("query=.*payment-service.*declined"));
    String[] expected = declinedLines();
    assertThat(count()).hasText(expected.length + " lines");
    assertThat(lines()).hasText(expected);
    assertThat(page.locator("sl-logs-page sl-log-lines .entry .level")).hasText(
        java.util.Collections.nCopies(expected.length, "error").toArray(String[]::new));
    // The volume: only errors in these lines, drawn as bars.
    assertThat(volumeLegend()).hasText(Pattern.compile("^\\s*error\\s*$"));
    assertThat(page.locator("sl-logs-page section.volume sl-graph canvas")).isVisible();
    screenshot("declined");
  }

  @Test
  void labelValuesAreNarrowedByTheMatchersBeforeThem() throws Exception {
    page.navigate(url("/ui/logs"));
    editor().focus();
    page.keyboard().type("{service_instance_id=");
    assertThat(page.locator("sl-logs-page sl-query-editor li span:first-child")).hasText(new String[] {
        "inventory-service-1", "order-service-1", "payment-service-1"});
    page.keyboard().press("Escape");
    editor().fill("");
    page.keyboard().type("{service_name=\"payment-service\", service_instance_id=");
    assertThat(page.locator("sl-logs-page sl-query-editor li span:first-child")).hasText(new String[] {
        "payment-service-1"});
    page.keyboard().press("Enter");
    page.keyboard().type("}");
    assertThat(editor()).hasValue("{service_name=\"payment-service\", service_instance_id=\"payment-service-1\"}");
  }

  @Test
  void aLineOpensToItsLabelsAndMetadataFiltersEditTheQueryAndItsTraceIdLinksToTheTrace() throws Exception {
    UiDataSet.ShopTrace failed = data.failedTrace();
    int n = data.traces().indexOf(failed);
    standInForTheTracePageWhileItIsMissing();
    page.navigate(logsUrl(PAYMENT_DECLINED));
    Locator line = page.locator("sl-logs-page sl-log-lines .entry").filter(new Locator.FilterOptions()
        .setHasText("charge failed for order-" + n + ":"));
    // By keyboard: a line is a button.
    line.locator("button.summary").focus();
    page.keyboard().press("Enter");
    assertThat(line.locator("button.summary")).hasAttribute("aria-expanded", "true");
    Locator details = line.locator(".details");
    assertThat(details.locator("table.stream")).containsText(row("service_name", "payment-service"));
    assertThat(details.locator("table.stream")).containsText(row("service_instance_id", "payment-service-1"));
    assertThat(details.locator("table.metadata")).containsText(row("trace_id", failed.traceId()));
    assertThat(details.locator("table.metadata")).containsText(row("span_id", failed.paymentSpanId()));
    assertThat(details.locator("table.metadata")).containsText(row("severity_text", "ERROR"));
    assertThat(details.locator("table.metadata")).containsText(row("detected_level", "error"));
    assertThat(details.locator("a.span-link")).hasAttribute("href",
        "/ui/trace/" + failed.traceId() + "?span=" + failed.paymentSpanId());
    screenshot("details");
    page.getByLabel("Switch theme").click();
    screenshot("details-other-theme");
    page.getByLabel("Switch theme").click();

    // Metadata becomes a label filter, a stream label a matcher of the selector; "filter out" undoes "filter for".
    details.getByLabel("Filter for detected_level=error").click();
    assertThat(editor()).hasValue(PAYMENT_DECLINED + " | detected_level=\"error\"");
    assertThat(count()).hasText(declinedLines().length + " lines");
    details.getByLabel("Filter for service_namespace=shop").click();
    assertThat(editor()).hasValue("{service_name=\"payment-service\", service_namespace=\"shop\"} |= \"declined\""
        + " | detected_level=\"error\"");
    assertThat(count()).hasText(declinedLines().length + " lines");
    details.getByLabel("Filter out detected_level=error").click();
    assertThat(editor()).hasValue("{service_name=\"payment-service\", service_namespace=\"shop\"} |= \"declined\""
        + " | detected_level!=\"error\"");
    assertThat(page.locator("sl-logs-page section.lines .hint")).hasText("No lines in this range.");
    page.goBack();
    page.goBack();
    page.goBack();
    assertThat(editor()).hasValue(PAYMENT_DECLINED);

    line = page.locator("sl-logs-page sl-log-lines .entry").filter(new Locator.FilterOptions()
        .setHasText("charge failed for order-" + n + ":"));
    // The line stayed open through the filters and back: its key is what it is, not where it is in the list.
    assertThat(line.locator("button.summary")).hasAttribute("aria-expanded", "true");
    line.locator("a.trace-link").click();
    assertThat(page).hasURL(url("/ui/trace/" + failed.traceId()));
  }

  @Test
  void theLogsOfATraceAndOfASpanAreExactlyTheirLines() throws Exception {
    UiDataSet.ShopTrace failed = data.failedTrace();
    int n = data.traces().indexOf(failed);
    String sku = "SKU-" + (100 + n % 7);
    page.navigate(logsUrl("{service_name=~\".+\"} | trace_id=\"" + failed.traceId() + "\""));
    assertThat(count()).hasText("4 lines");
    assertThat(lines()).hasText(new String[] {"order order-" + n + " rejected: payment failed",
        "charge failed for order-" + n + ": card declined", "reserved 1 of " + sku,
        "received order order-" + n + " for " + sku});
    assertThat(page.locator("sl-logs-page sl-log-lines .entry .level")).hasText(
        new String[] {"warn", "error", "info", "info"});
    assertThat(volumeLegend()).containsText("error");
    assertThat(volumeLegend()).containsText("warn");
    assertThat(volumeLegend()).containsText("info");
    screenshot("trace-logs");

    page.locator("sl-logs-page select.direction").selectOption("forward");
    assertThat(page).hasURL(Pattern.compile("direction=forward"));
    assertThat(lines().first()).hasText("received order order-" + n + " for " + sku);

    page.navigate(logsUrl("{service_name=\"payment-service\"} | span_id=\"" + failed.paymentSpanId() + "\""));
    assertThat(count()).hasText("1 line");
    assertThat(lines()).hasText(new String[] {"charge failed for order-" + n + ": card declined"});
  }

  @Test
  void draggingOverTheVolumeZoomsTheRange() throws Exception {
    page.navigate(logsUrl("{service_name=~\".+\"}", "limit=500"));
    assertThat(page.locator("sl-logs-page select.limit")).hasValue("500");
    assertThat(volumeLegend()).containsText("info");
    Locator over = page.locator("sl-logs-page section.volume sl-graph .u-over");
    BoundingBox box = over.boundingBox();
    page.mouse().move(box.x + box.width * 0.5, box.y + box.height / 2);
    page.mouse().down();
    page.mouse().move(box.x + box.width * 0.9, box.y + box.height / 2, new com.microsoft.playwright.Mouse.MoveOptions()
        .setSteps(5));
    page.mouse().up();
    assertThat(page).hasURL(Pattern.compile("[?&]from=\\d{13}(&|$)"));
    assertThat(page).hasURL(Pattern.compile("[?&]to=\\d{13}(&|$)"));
    assertThat(page.locator("sl-logs-page sl-time-picker button.range")).containsText(" to ");
    assertThat(volumeLegend()).containsText("info");
    screenshot("zoomed");
  }

  @Test
  void aSyntaxErrorIsShownUnderTheQueryInLokisWords() throws Exception {
    expectConsoleError("^Failed to load resource: the server responded with a status of 400");
    page.navigate(url("/ui/logs"));
    editor().focus();
    page.keyboard().type("{service_name=");
    assertThat(selectedCompletion()).containsText("inventory-service");
    page.keyboard().press("Escape");
    assertThat(selectedCompletion()).hasCount(0);
    page.keyboard().press("Enter");
    assertThat(page.locator("sl-logs-page sl-query-editor .error")).hasText(
        "parse error at line 1, col 15: syntax error: unexpected $end, expecting STRING");
    assertThat(editor()).hasAttribute("aria-invalid", "true");
    assertThat(page.locator("sl-logs-page section.lines")).hasCount(0);
    screenshot("syntax-error");
  }

  @Test
  void aMetricQueryTypedWithCompletionShowsAGraph() throws Exception {
    page.navigate(url("/ui/logs"));
    editor().focus();
    page.keyboard().type("sum by (service_na");
    assertThat(selectedCompletion()).containsText("service_name");
    page.keyboard().press("Enter");
    page.keyboard().type(") (rat");
    assertThat(selectedCompletion()).containsText("rate");
    page.keyboard().press("Enter");
    assertThat(editor()).hasValue("sum by (service_name) (rate(");
    page.keyboard().type("{service_namespace=\"shop\"}[5");
    assertThat(selectedCompletion()).containsText("5m");
    page.keyboard().press("Enter");
    page.keyboard().type("))");
    String query = "sum by (service_name) (rate({service_namespace=\"shop\"}[5m]))";
    assertThat(editor()).hasValue(query);
    page.keyboard().press("Enter");
    Locator graph = page.locator("sl-logs-page section.metric sl-graph");
    assertThat(graph.locator(".legend button")).hasText(new String[] {"{service_name=\"inventory-service\"}",
        "{service_name=\"order-service\"}", "{service_name=\"payment-service\"}"});
    assertThat(graph.locator("canvas")).isVisible();
    assertThat(page.locator("sl-logs-page sl-log-lines")).hasCount(0);
    assertThat(page.locator("sl-logs-page section.volume")).hasCount(0);
    screenshot("metric");
  }

  @Test
  void liveTailShowsAPushedLineAndStops() throws Exception {
    page.navigate(logsUrl("{service_name=\"live-test\"}", "live=1"));
    Locator status = page.locator("sl-logs-page .live-status");
    assertThat(status).hasText("Live: new lines appear at the top");
    assertThat(page.locator("sl-logs-page button.live")).hasAttribute("aria-pressed", "true");
    push("hello from the live test");
    assertThat(page.locator("sl-logs-page section.lines .entry .text")).hasText(
        new String[] {"hello from the live test"});
    screenshot("live");

    page.locator("sl-logs-page button.pause").click();
    assertThat(status).hasText("Paused");
    push("second line, while paused");
    assertThat(page.locator("sl-logs-page button.pause")).hasText("Resume (1 new)");
    assertThat(page.locator("sl-logs-page section.lines .entry .text")).hasCount(1);
    page.locator("sl-logs-page button.pause").click();
    assertThat(page.locator("sl-logs-page section.lines .entry .text")).hasText(
        new String[] {"second line, while paused", "hello from the live test"});

    page.locator("sl-logs-page button.stop").click();
    assertThat(page).not().hasURL(Pattern.compile("live="));
    assertThat(page.locator("sl-logs-page .live-status")).hasCount(0);
    assertThat(page.locator("sl-logs-page button.live")).hasText("▶ Live");
    // Stopped, the page queries the range instead: both pushed lines are there.
    assertThat(count()).hasText("2 lines");
  }

  /**
   * The trace page is another part of the UI; where this build has no module for it yet, an empty element stands in,
   * so following the link loads no missing file. What this test checks is the link's URL.
   */
  private void standInForTheTracePageWhileItIsMissing() {
    page.route("**/ui/static/traces/trace-page.js", route -> {
      APIResponse real = route.fetch();
      if (real.status() == 404) {
        route.fulfill(new com.microsoft.playwright.Route.FulfillOptions().setContentType("text/javascript")
            .setBody("customElements.define('sl-trace-page', class extends HTMLElement {});"));
      } else {
        route.fulfill(new com.microsoft.playwright.Route.FulfillOptions().setResponse(real));
      }
    });
  }

  private void push(String line) {
    String body = "{\"streams\":[{\"stream\":{\"service_name\":\"live-test\"},\"values\":[[\""
        + System.currentTimeMillis() + "000000\",\"" + line + "\"]]}]}";
    APIResponse r = page.request().post(url("/loki/api/v1/push"), RequestOptions.create()
        .setHeader("Content-Type", "application/json").setData(body));
    org.assertj.core.api.Assertions.assertThat(r.status()).as(r.text()).isEqualTo(204);
  }
}
