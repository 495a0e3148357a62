package io.sightline.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import io.sightline.server.ui.UiDataSet.ShopTrace;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The journeys across the views, clicked through end to end as a user would follow them: each page's own tests
 * cover the page (the service graph's way to a RED dashboard is in ServiceGraphPageTest, trace compare in
 * TracePageTest); these check that the links between them land where they should and that back returns.
 */
class UiFlowsTest extends BrowserTest {

  /** A slow, failed order: from its latency exemplar to its trace, to the failing span's logs, and back. */
  @Test
  void exemplarToTraceToSpanLogsAndBackToTheTrace() throws Exception {
    ShopTrace failed = data.traces().stream().filter(t -> t.failed() && t.startMillis() < data.anchorMillis())
        .skip(1).findFirst().orElseThrow();
    String query = "histogram_quantile(0.9, sum by (le) (rate(shop_http_request_duration_seconds_bucket[5m])))";
    page.navigate(url("/ui/metrics?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
        + "&from=now-1h&to=now&exemplars=true"));
    Locator dot = page.locator("sl-graph a.exemplar[data-trace-id=\"" + failed.traceId() + "\"]");
    dot.click();

    assertThat(page).hasURL(url("/ui/trace/" + failed.traceId()));
    assertThat(page.locator("sl-trace-page h1")).containsText(UiDataSet.ORDER + ": POST /orders");
    Locator paymentRow = page.locator("sl-trace-waterfall [role=treeitem][data-span-id=\"" + failed.paymentSpanId()
        + "\"]");
    paymentRow.locator(".op").click();
    assertThat(page).hasURL(Pattern.compile("span=" + failed.paymentSpanId()));
    assertThat(page.locator("sl-span-details")).containsText("card declined");
    screenshot("failing-span");

    page.locator("sl-span-details a.logs-span").click();
    assertThat(page).hasURL(Pattern.compile("/ui/logs\\?"));
    Locator lines = page.locator("sl-logs-page sl-log-lines .entry .text");
    assertThat(lines).hasText(new String[] {"charge failed for order-" + data.traces().indexOf(failed) + ": card declined"});
    screenshot("span-logs");

    page.goBack();
    assertThat(page).hasURL(Pattern.compile("/ui/trace/" + failed.traceId() + "\\?span=" + failed.paymentSpanId()));
    assertThat(page.locator("sl-span-details")).containsText("card declined");
  }

  /** From the log line that says a charge failed to the trace it belongs to. */
  @Test
  void aLogLineLeadsToItsTrace() throws Exception {
    ShopTrace failed = data.failedTrace();
    String query = "{service_name=\"payment-service\"} |= \"declined\"";
    page.navigate(url("/ui/logs?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&from=now-1h&to=now"));
    Locator line = page.locator("sl-logs-page sl-log-lines .entry").filter(new Locator.FilterOptions()
        .setHasText("order-" + data.traces().indexOf(failed) + ":"));
    line.locator("button.summary").click();
    line.locator("a.trace-link").click();

    assertThat(page).hasURL(url("/ui/trace/" + failed.traceId()));
    assertThat(page.locator("sl-trace-page h1")).containsText(UiDataSet.ORDER + ": POST /orders");
    assertThat(page.locator("sl-trace-waterfall [role=treeitem]")).hasCount(7);
    screenshot("trace-of-line");
  }
}
