package io.sightline.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.options.AriaRole;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The service graph from the metrics generator's service-graph series: the data set's three services, the user who
 * starts every trace and the database and external API they call, with rates and the failing payments on the edges;
 * a node's links lead to its RED dashboard.
 */
class ServiceGraphPageTest extends BrowserTest {
  /**
   * The ten recent calls as increase() over the range shows them: it extrapolates past the last sample by up to one
   * collection interval, so while the series are seconds old, ten calls may round to 11, and their error share is
   * near, not exactly, a fifth.
   */
  private static final Pattern TEN_CALLS = Pattern.compile("^1[01]$");
  private static final Pattern ABOUT_20_PERCENT = Pattern.compile("^(1[89]|2[01])(\\.\\d+)?%$");


  private Locator edge(String client, String server) {
    return page.locator("table.edges tr[data-client=\"" + client + "\"][data-server=\"" + server + "\"]");
  }

  @Test
  void showsServicesVirtualNodesAndEdgesWithRatesAndErrors() throws Exception {
    page.navigate(url("/ui/services"));
    assertThat(page.locator("sl-service-graph-page .canvas canvas").first()).isAttached();
    // The recent traces: 10, every fifth payment declined.
    Locator payments = edge(UiDataSet.ORDER, UiDataSet.PAYMENT);
    assertThat(payments.locator("td.requests")).hasText(TEN_CALLS);
    assertThat(payments.locator("td.rate")).containsText(Pattern.compile("req/(s|min)"));
    assertThat(payments.locator("td.errors")).hasText(ABOUT_20_PERCENT);
    assertThat(payments).hasClass(Pattern.compile("failing"));
    assertThat(edge(UiDataSet.ORDER, UiDataSet.INVENTORY).locator("td.errors")).hasText("0%");
    assertThat(edge("user", UiDataSet.ORDER)).containsText("virtual_node");
    Locator nodes = page.locator("table.nodes tbody tr");
    assertThat(page.locator("table.nodes tr[data-node=\"user\"]")).containsText("virtual");
    assertThat(page.locator("table.nodes tr[data-node=\"" + UiDataSet.PAYMENT + "\"]")).containsText("service");
    assertThat(page.locator("table.nodes tr[data-node=\"" + UiDataSet.PAYMENT + "\"] td.errors")).hasText(ABOUT_20_PERCENT);
    assertThat(page.locator("table.nodes td", new com.microsoft.playwright.Page.LocatorOptions().setHasText("database")))
        .hasCount(1);
    assertThat(nodes.count()).isGreaterThanOrEqualTo(5);
    assertThat(page.getByRole(AriaRole.IMG)).hasAttribute("aria-label", Pattern.compile("\\d+ nodes and \\d+ edges"));
    screenshot("graph");
    page.getByLabel("Switch theme").click();
    screenshot("graph-other-theme");
  }

  @Test
  void clickingANodeOnTheCanvasLeadsToItsRedDashboard() throws Exception {
    page.navigate(url("/ui/services?from=now-1h&to=now"));
    assertThat(edge(UiDataSet.ORDER, UiDataSet.PAYMENT)).isVisible();
    @SuppressWarnings("unchecked")
    Map<String, Number> at = (Map<String, Number>) page.locator("sl-service-graph-page")
        .evaluate("el => el.nodeCenter('" + UiDataSet.PAYMENT + "')");
    assertThat(at).isNotNull();
    page.mouse().click(at.get("x").doubleValue(), at.get("y").doubleValue());
    Locator details = page.locator("section.details");
    assertThat(details).containsText(UiDataSet.PAYMENT);
    assertThat(page).hasURL(Pattern.compile("node=payment-service"));
    assertThat(details.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Traces")))
        .hasAttribute("href", Pattern.compile("^/ui/traces\\?service=payment-service"));
    screenshot("node-menu");
    details.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("RED dashboard")).click();
    assertThat(page).hasURL(Pattern.compile("/ui/dashboards/services\\?var-service=payment-service"));
    Locator dashboard = page.locator("sl-dashboard-page");
    assertThat(dashboard.locator("select[name=\"var-service\"]")).hasValue(UiDataSet.PAYMENT);
    assertThat(panel("Requests in range").locator(".number")).hasText(TEN_CALLS);
    assertThat(panel("Error ratio in range").locator(".number")).hasText(ABOUT_20_PERCENT);
    assertThat(panel("Request rate").locator("sl-graph .legend")).containsText("POST /payments");
    assertThat(panel("Latency").locator("sl-graph .legend")).containsText("p95");
    Locator operation = panel("Operations").locator("tbody tr")
        .filter(new Locator.FilterOptions().setHasText("POST /payments"));
    assertThat(operation).containsText("SPAN_KIND_SERVER");
    assertThat(operation.locator("td.num").first()).hasText(TEN_CALLS);
    assertThat(operation.locator("td.num").nth(1)).hasText("2");
    assertThat(panel("Logs").locator(".logs")).containsText("card declined");
    screenshot("red-dashboard");
  }

  @Test
  void theNodeTableWorksFromTheKeyboard() throws Exception {
    page.navigate(url("/ui/services"));
    Locator select = page.locator("table.nodes tr[data-node=\"" + UiDataSet.INVENTORY + "\"] button.select");
    select.focus();
    page.keyboard().press("Enter");
    Locator details = page.locator("section.details");
    assertThat(details).containsText(UiDataSet.INVENTORY);
    assertThat(page.locator("table.nodes tr[data-node=\"" + UiDataSet.INVENTORY + "\"]"))
        .hasAttribute("aria-selected", "true");
    details.getByLabel("Close").focus();
    page.keyboard().press("Enter");
    assertThat(details).hasCount(0);
    assertThat(page).not().hasURL(Pattern.compile("node="));
  }

  private Locator panel(String title) {
    return page.locator("sl-dashboard-panel[data-title=\"" + title + "\"]");
  }
}
