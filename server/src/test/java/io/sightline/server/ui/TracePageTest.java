package io.sightline.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import io.sightline.server.ui.UiDataSet.ShopTrace;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The trace view (waterfall, critical path, span details, links out) and the comparison of two traces. */
class TracePageTest extends BrowserTest {
  /** Each shop trace: the order, inventory (client, server, database) and payment (client, server, Stripe) spans. */
  private static final List<String> SPAN_NAMES = List.of("POST /orders", "GET /inventory/{sku}", "GET /inventory/{sku}",
      "SELECT stock", "POST /payments", "POST /payments", "POST");

  private Locator rows() {
    return page.locator("sl-trace-waterfall [role=treeitem]");
  }

  private Locator row(String spanId) {
    return page.locator("sl-trace-waterfall [role=treeitem][data-span-id=\"" + spanId + "\"]");
  }

  @Test
  void theWaterfallShowsEverySpanAndCollapses() throws Exception {
    ShopTrace t = data.failedTrace();
    page.navigate(url("/ui/trace/" + t.traceId()));
    assertThat(page.locator("sl-trace-page h1")).containsText(UiDataSet.ORDER + ": POST /orders");
    assertThat(page.locator("sl-trace-page .span-count")).hasText(String.valueOf(SPAN_NAMES.size()));
    assertThat(page.locator("sl-trace-page .services")).containsText(UiDataSet.INVENTORY);
    assertThat(page.locator("sl-trace-page .services")).containsText(UiDataSet.PAYMENT);
    assertThat(rows()).hasCount(SPAN_NAMES.size());
    assertThat(rows().locator(".op")).hasText(SPAN_NAMES.toArray(String[]::new));
    // The errors are marked: the order and the payment server span.
    assertThat(rows().locator(".err")).hasCount(2);
    assertThat(row(t.paymentSpanId()).locator(".err")).hasCount(1);
    screenshot("waterfall");

    // Folding the inventory call hides its server span and the database query under it.
    page.locator("sl-trace-waterfall button[aria-label=\"Collapse GET /inventory/{sku}\"]").first().click();
    assertThat(rows()).hasCount(SPAN_NAMES.size() - 2);
    assertThat(page.getByText("SELECT stock")).hasCount(0);
    page.getByText("Collapse all").click();
    assertThat(rows()).hasCount(1);
    page.getByText("Expand all").click();
    assertThat(rows()).hasCount(SPAN_NAMES.size());

    // The keyboard: down to the inventory call, fold it with ←, unfold with →, open its details with Enter.
    row(t.rootSpanId()).focus();
    page.keyboard().press("ArrowDown");
    page.keyboard().press("ArrowLeft");
    assertThat(rows()).hasCount(SPAN_NAMES.size() - 2);
    page.keyboard().press("ArrowRight");
    assertThat(rows()).hasCount(SPAN_NAMES.size());
    page.keyboard().press("Enter");
    assertThat(page.locator("sl-span-details h3")).hasText(UiDataSet.ORDER + ": GET /inventory/{sku}");
    assertThat(page).hasURL(Pattern.compile("\\?span=[0-9a-f]{16}$"));
  }

  @Test
  void theCriticalPathIsMarked() throws Exception {
    ShopTrace t = data.okTrace();
    page.navigate(url("/ui/trace/" + t.traceId()));
    assertThat(rows()).hasCount(SPAN_NAMES.size());
    assertThat(page.locator("sl-trace-waterfall .cp")).hasCount(0);
    page.locator("button.critical-path").click();
    assertThat(page.locator("button.critical-path")).hasAttribute("aria-pressed", "true");
    assertThat(page).hasURL(Pattern.compile("cp=1"));
    // The shop's calls run one after another, so every span is on the path; the parents only where no child runs:
    // root 3 gaps, each client and server span with a child 2, the leaves 1.
    assertThat(page.locator("sl-trace-waterfall [role=treeitem].critical")).hasCount(SPAN_NAMES.size());
    assertThat(page.locator("sl-trace-waterfall .cp")).hasCount(3 + 2 + 2 + 1 + 2 + 2 + 1);
    assertThat(page.locator(".cp-summary")).hasText("7 of 7 spans on the critical path");
    screenshot("critical-path");
    page.locator("button.critical-path").click();
    assertThat(page.locator("sl-trace-waterfall .cp")).hasCount(0);
  }

  @Test
  void spanDetailsShowAttributesResourceEventsAndFollowTheUrl() throws Exception {
    ShopTrace t = data.failedTrace();
    page.navigate(url("/ui/trace/" + t.traceId() + "?span=" + t.paymentSpanId()));
    Locator details = page.locator("sl-span-details");
    assertThat(details.locator("h3")).hasText(UiDataSet.PAYMENT + ": POST /payments");
    assertThat(details.locator(".status")).hasText("error: card declined");
    assertThat(details.locator(".kind")).hasText("server");
    assertThat(details.locator(".span-id")).hasText(t.paymentSpanId());
    assertThat(details.locator("section.attributes")).containsText("http.route");
    assertThat(details.locator("section.attributes")).containsText("/payments");
    assertThat(details.locator("section.resource")).containsText("service.namespace");
    assertThat(details.locator("section.resource")).containsText("payment-service-1");
    assertThat(details.locator("section.events .event")).hasCount(1);
    assertThat(details.locator("section.events")).containsText("exception");
    assertThat(details.locator("section.events")).containsText("CardDeclinedException");
    // The event is placed relative to the span's start (1.5 ms before the payment client's end, so well after it).
    assertThat(details.locator("section.events .when")).hasText(Pattern.compile("^\\+\\d+(\\.\\d+)?ms$"));
    assertThat(row(t.paymentSpanId())).hasAttribute("aria-selected", "true");
    screenshot("span-details");

    // A click on another span selects it in the URL.
    row(t.rootSpanId()).click();
    assertThat(page).hasURL(url("/ui/trace/" + t.traceId() + "?span=" + t.rootSpanId()));
    assertThat(details.locator("h3")).hasText(UiDataSet.ORDER + ": POST /orders");
    assertThat(details.locator("section.events")).containsText("order.validated");
    assertThat(details.locator("section.attributes")).containsText("order.id");
    page.getByLabel("Switch theme").click();
    screenshot("span-details-other-theme");
    page.goBack();
    assertThat(details.locator("h3")).hasText(UiDataSet.PAYMENT + ": POST /payments");
  }

  @Test
  void theLinksGoToTheLogsAndTheServiceMetrics() {
    ShopTrace t = data.failedTrace();
    page.navigate(url("/ui/trace/" + t.traceId() + "?span=" + t.paymentSpanId()));
    Map<String, String> span = query(page.locator("sl-span-details a.logs-span").getAttribute("href"));
    assertThat(span.get("path")).isEqualTo("/ui/logs");
    assertThat(span.get("query")).isEqualTo("{service_name=\"payment-service\"} | span_id=\"" + t.paymentSpanId() + "\"");
    assertThat(Long.parseLong(span.get("from"))).isLessThanOrEqualTo(t.startMillis());
    assertThat(Long.parseLong(span.get("to"))).isGreaterThan(t.startMillis());

    Map<String, String> trace = query(page.locator("sl-trace-page a.logs-trace").getAttribute("href"));
    assertThat(trace.get("path")).isEqualTo("/ui/logs");
    assertThat(trace.get("query")).isEqualTo("{service_name=~\".+\"} | trace_id=\"" + t.traceId() + "\"");
    assertThat(Long.parseLong(trace.get("from"))).isLessThanOrEqualTo(t.startMillis());

    assertThat(page.locator("sl-span-details a.red")).hasAttribute("href",
        "/ui/dashboards/services?var-service=payment-service");
    assertThat(page.locator("sl-span-details a.red")).hasText("RED metrics of this service");
    assertThat(page.locator("sl-span-details a.logs-span")).hasText("Logs for this span");
    assertThat(page.locator("sl-trace-page a.logs-trace")).hasText("Logs for this trace");
  }

  @Test
  void anUnknownTraceSaysItIsNotFound() throws Exception {
    page.navigate(url("/ui/trace/0123456789abcdef0123456789abcdef"));
    assertThat(page.locator("sl-trace-page [role=alert]")).containsText("Trace not found");
    assertThat(page.locator("sl-trace-page [role=alert]")).containsText("0123456789abcdef0123456789abcdef");
    screenshot("not-found");
  }

  @Test
  void comparesAnOkAndAFailedTrace() throws Exception {
    ShopTrace ok = data.okTrace();
    ShopTrace failed = data.failedTrace();
    page.navigate(url("/ui/compare?a=" + ok.traceId() + "&b=" + failed.traceId()));
    assertThat(page.locator("sl-trace-compare .side-a")).containsText(ok.traceId());
    assertThat(page.locator("sl-trace-compare .side-a")).containsText("0 errors");
    assertThat(page.locator("sl-trace-compare .side-b")).containsText(failed.traceId());
    assertThat(page.locator("sl-trace-compare .side-b")).containsText("2 errors");
    Locator nodes = page.locator("sl-trace-compare tr.node");
    // Same shape, one node per (service, operation) path: the differences are the two spans that failed.
    assertThat(nodes).hasCount(SPAN_NAMES.size());
    assertThat(page.locator("sl-trace-compare tr.node[data-change=errors]")).hasCount(2);
    assertThat(page.locator("sl-trace-compare tr.node[data-change=errors]").first()).containsText("order-service: POST /orders");
    assertThat(page.locator("sl-trace-compare tr.node[data-change=errors]").nth(1)).containsText("payment-service: POST /payments");
    assertThat(page.locator("sl-trace-compare .diff-summary")).hasText("2 of 7 nodes differ");
    screenshot("compare");

    // Another trace B through the inputs: a trace compared with itself has no differences.
    page.locator("sl-trace-compare input[name=b]").fill(ok.traceId());
    page.locator("sl-trace-compare button[type=submit]").click();
    assertThat(page).hasURL(url("/ui/compare?a=" + ok.traceId() + "&b=" + ok.traceId()));
    assertThat(page.locator("sl-trace-compare .diff-summary")).hasText("No structural differences");

    // An unknown id is said where it was entered.
    page.locator("sl-trace-compare input[name=b]").fill("0123456789abcdef0123456789abcdef");
    page.locator("sl-trace-compare input[name=b]").press("Enter");
    assertThat(page.locator("sl-trace-compare .side-b [role=alert]")).containsText("not found");
  }

  /** The path and the decoded query parameters of a link. */
  private static Map<String, String> query(String href) {
    URI uri = URI.create(href);
    Map<String, String> out = new LinkedHashMap<>();
    out.put("path", uri.getPath());
    for (String pair : uri.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }
}
