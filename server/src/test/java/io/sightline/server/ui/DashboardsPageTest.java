package io.sightline.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.RequestOptions;
import java.nio.file.Files;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Dashboards: the list (built-in, provisioned from {@code ui.dashboards.path}, imported), the built-in Services
 * dashboard with its variable in the URL, and the import of Grafana dashboard JSON through the dialog.
 */
class DashboardsPageTest extends BrowserTest {
  /**
   * The ten recent calls as increase() over the range shows them: it extrapolates past the last sample by up to one
   * collection interval, so while the series are seconds old, ten calls may round to 11, and their error share is
   * near, not exactly, a fifth.
   */
  private static final Pattern TEN_CALLS = Pattern.compile("^1[01]$");
  private static final Pattern ABOUT_20_PERCENT = Pattern.compile("^(1[89]|2[01])(\\.\\d+)?%$");

  /** A Grafana export (the {dashboard: ...} wrapper) with a multi-value, include-all variable. */
  private static final String IMPORTED = """
      {"meta": {"type": "db"}, "dashboard": {
        "uid": "shop-calls", "title": "Shop calls", "tags": ["shop", "imported"],
        "time": {"from": "now-1h", "to": "now"},
        "templating": {"list": [{"name": "svc", "label": "Service", "type": "query",
          "datasource": {"type": "prometheus", "uid": "${DS_PROMETHEUS}"},
          "query": {"query": "label_values(traces_spanmetrics_calls_total, service)", "refId": "A"},
          "multi": true, "includeAll": true, "current": {"text": "All", "value": "$__all"}}]},
        "panels": [
          {"id": 1, "type": "timeseries", "title": "Calls per service", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
           "datasource": {"type": "prometheus", "uid": "${DS_PROMETHEUS}"},
           "targets": [{"refId": "A", "legendFormat": "{{service}}",
             "expr": "sum by (service) (rate(traces_spanmetrics_calls_total{service=~\\"$svc\\"}[$__rate_interval]))"}]},
          {"id": 2, "type": "stat", "title": "Services", "gridPos": {"x": 12, "y": 0, "w": 6, "h": 8},
           "datasource": {"type": "prometheus"},
           "targets": [{"refId": "A", "expr": "count(count by (service) (traces_spanmetrics_calls_total{service=~\\"${svc}\\"}))"}]},
          {"id": 3, "type": "text", "title": "Notes", "gridPos": {"x": 18, "y": 0, "w": 6, "h": 8},
           "options": {"content": "hello"}}
        ]}}
      """;

  private Locator panel(String title) {
    return page.locator("sl-dashboard-panel[data-title=\"" + title + "\"]");
  }

  @Test
  void theListShowsBuiltInAndProvisionedDashboardsButNotBrokenFiles() throws Exception {
    Files.createDirectories(provisionedDashboards());
    Files.writeString(provisionedDashboards().resolve("team.json"), """
        {"uid": "team-overview", "title": "Team overview", "tags": ["team"],
         "templating": {"list": [{"name": "svc", "type": "query", "datasource": {"type": "loki"},
           "query": "label_values(service_name)"}]},
         "panels": [{"id": 1, "type": "stat", "title": "Up", "gridPos": {"x": 0, "y": 0, "w": 6, "h": 4},
           "targets": [{"expr": "count(shop_http_requests_total)"}]},
           {"id": 2, "type": "logs", "title": "Lines", "gridPos": {"x": 6, "y": 0, "w": 18, "h": 8},
            "datasource": "Loki", "targets": [{"expr": "{service_name=\\\"[[svc]]\\\"}"}]}]}
        """);
    Files.writeString(provisionedDashboards().resolve("broken.json"), "{\"title\": \"Broken board\", ");
    page.navigate(url("/ui/dashboards"));
    Locator rows = page.locator("table tbody tr");
    assertThat(rows.filter(new Locator.FilterOptions().setHasText("Services"))).containsText("built-in");
    assertThat(rows.filter(new Locator.FilterOptions().setHasText("Team overview"))).containsText("provisioned");
    assertThat(page.locator("sl-dashboards-page")).not().containsText("Broken board");
    screenshot("list");

    page.getByLabel("Search dashboards by title or tag").fill("team");
    assertThat(rows).hasCount(1);
    assertThat(rows).containsText("Team overview");
    assertThat(page).hasURL(Pattern.compile("search=team"));
    page.getByLabel("Search dashboards by title or tag").fill("");
    rows.filter(new Locator.FilterOptions().setHasText("Services")).getByRole(AriaRole.BUTTON,
        new Locator.GetByRoleOptions().setName("red")).click();
    assertThat(page).hasURL(Pattern.compile("tag=red"));
    assertThat(rows).hasCount(1);

    page.navigate(url("/ui/dashboards"));
    page.getByRole(AriaRole.LINK, new com.microsoft.playwright.Page.GetByRoleOptions().setName("Team overview")).click();
    assertThat(page).hasURL(url("/ui/dashboards/team-overview"));
    assertThat(panel("Up").locator(".number")).hasText(Pattern.compile("^\\d+$"));
    // A Loki variable and Grafana's old [[var]] syntax.
    page.locator("select[name=\"var-svc\"]").selectOption(UiDataSet.PAYMENT);
    assertThat(page).hasURL(Pattern.compile("var-svc=payment-service"));
    assertThat(panel("Lines").locator(".logs")).containsText("charged order-");
    assertThat(panel("Lines").locator(".logs")).not().containsText("received order");
  }

  @Test
  void aDashboardFileCanBeUploaded() throws Exception {
    java.nio.file.Path file = dataDir.resolve("upload.json");
    Files.writeString(file, "{\"title\": \"Uploaded board\", \"panels\": [{\"id\": 1, \"type\": \"table\", "
        + "\"title\": \"Calls\", \"gridPos\": {\"x\": 0, \"y\": 0, \"w\": 24, \"h\": 6}, \"targets\": [{\"expr\": "
        + "\"sum by (service) (traces_spanmetrics_calls_total)\", \"instant\": true}]}]}");
    page.navigate(url("/ui/dashboards"));
    page.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Page.GetByRoleOptions().setName("Import")).click();
    page.getByLabel("Or upload a file").setInputFiles(file);
    assertThat(page.getByLabel("Dashboard JSON")).hasValue(Pattern.compile("Uploaded board"));
    page.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Page.GetByRoleOptions().setName("Import dashboard"))
        .click();
    assertThat(page).hasURL(url("/ui/dashboards/uploaded-board"));
    assertThat(panel("Calls").locator("tbody tr")).hasCount(3);
    assertThat(panel("Calls").locator("tbody")).containsText(UiDataSet.INVENTORY);
  }

  @Test
  void changingTheServiceUpdatesTheUrlAndThePanels() throws Exception {
    page.navigate(url("/ui/dashboards/services?var-service=" + UiDataSet.ORDER));
    Locator variable = page.locator("select[name=\"var-service\"]");
    assertThat(variable).hasValue(UiDataSet.ORDER);
    assertThat(panel("Operations").locator("tbody")).containsText("POST /orders");
    assertThat(panel("Requests in range").locator(".number")).hasText(TEN_CALLS);
    assertThat(panel("Error ratio in range").locator(".number")).hasText(ABOUT_20_PERCENT);
    assertThat(panel("Request rate").locator("sl-graph .legend")).containsText("POST /orders");
    assertThat(panel("Logs").locator(".logs")).containsText("received order");
    screenshot("order-service");

    variable.selectOption(UiDataSet.INVENTORY);
    assertThat(page).hasURL(Pattern.compile("var-service=inventory-service"));
    assertThat(panel("Operations").locator("tbody")).containsText("GET /inventory/{sku}");
    assertThat(panel("Operations").locator("tbody")).not().containsText("POST /orders");
    assertThat(panel("Error ratio in range").locator(".number")).hasText("0%");
    assertThat(panel("Logs").locator(".logs")).containsText("reserved 1 of");
    assertThat(panel("Request rate").locator("sl-graph .legend")).containsText("GET /inventory/{sku}");
    screenshot("inventory-service");
    page.getByLabel("Switch theme").click();
    screenshot("inventory-service-other-theme");

    page.goBack();
    assertThat(variable).hasValue(UiDataSet.ORDER);
    assertThat(panel("Operations").locator("tbody")).containsText("POST /orders");
  }

  @Test
  void theTimePickerAndRefreshGoToTheUrlAndThePanelsFollow() throws Exception {
    page.navigate(url("/ui/dashboards/services?var-service=" + UiDataSet.PAYMENT));
    assertThat(panel("Requests in range").locator(".number")).hasText(TEN_CALLS);
    page.locator("sl-time-picker button.range").click();
    page.getByRole(AriaRole.MENUITEM, new com.microsoft.playwright.Page.GetByRoleOptions().setName("Last 5 minutes"))
        .click();
    assertThat(page).hasURL(Pattern.compile("from=now-5m"));
    assertThat(page).hasURL(Pattern.compile("var-service=payment-service"));
    assertThat(page.locator("sl-time-picker button.range")).containsText("Last 5 minutes");
    assertThat(panel("Requests in range").locator(".number")).hasText(TEN_CALLS);
    page.locator("sl-time-picker select.refresh").selectOption("10s");
    assertThat(page).hasURL(Pattern.compile("refresh=10s"));
    page.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Page.GetByRoleOptions().setName("↻ Refresh")).click();
    assertThat(panel("Operations").locator("tbody")).containsText("POST /payments");
  }

  @Test
  void aDashboardWithoutVariablesInTheUrlWritesItsDefaults() {
    page.navigate(url("/ui/dashboards/services"));
    assertThat(page).hasURL(Pattern.compile("var-service=inventory-service"));
    assertThat(page).hasURL(Pattern.compile("from=now-1h"));
    assertThat(panel("Operations").locator("tbody")).containsText("GET /inventory/{sku}");
  }

  @Test
  void importingAGrafanaDashboardListsAndRendersIt() throws Exception {
    page.navigate(url("/ui/dashboards"));
    page.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Page.GetByRoleOptions().setName("Import")).click();
    page.getByLabel("Dashboard JSON").fill(IMPORTED);
    screenshot("import-dialog");
    page.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Page.GetByRoleOptions().setName("Import dashboard"))
        .click();
    assertThat(page).hasURL(Pattern.compile("/ui/dashboards/shop-calls"));
    assertThat(page).hasURL(Pattern.compile("var-svc=%24__all"));
    Locator legend = panel("Calls per service").locator("sl-graph .legend");
    for (String service : new String[] {UiDataSet.ORDER, UiDataSet.INVENTORY, UiDataSet.PAYMENT}) {
      assertThat(legend).containsText(service);
    }
    assertThat(panel("Services").locator(".number")).hasText("3");
    assertThat(panel("Notes")).containsText("unsupported panel type text");
    screenshot("imported");

    // Two of the values: written to the URL as Grafana does, and into the query as a regex alternation.
    page.locator("select[name=\"var-svc\"]").selectOption(new String[] {UiDataSet.ORDER, UiDataSet.PAYMENT});
    assertThat(page).hasURL(Pattern.compile("var-svc=order-service&var-svc=payment-service"));
    assertThat(panel("Services").locator(".number")).hasText("2");
    assertThat(legend.getByRole(AriaRole.LISTITEM)).hasCount(2);
    assertThat(legend).not().containsText(UiDataSet.INVENTORY);

    page.navigate(url("/ui/dashboards"));
    assertThat(page.locator("table tbody tr").filter(new Locator.FilterOptions().setHasText("Shop calls")))
        .containsText("imported");
  }

  @Test
  void aBrokenImportShowsWhatIsWrong() throws Exception {
    page.navigate(url("/ui/dashboards"));
    page.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Page.GetByRoleOptions().setName("Import")).click();
    Locator json = page.getByLabel("Dashboard JSON");
    Locator submit = page.getByRole(AriaRole.BUTTON,
        new com.microsoft.playwright.Page.GetByRoleOptions().setName("Import dashboard"));
    json.fill("{\"panels\": [");
    submit.click();
    Locator error = page.locator("dialog").getByRole(AriaRole.ALERT);
    assertThat(error).containsText("not valid JSON");
    json.fill("{\"panels\": []}");
    submit.click();
    assertThat(error).hasText("the dashboard has no title");
    screenshot("import-error");
    assertThat(page).hasURL(url("/ui/dashboards"));
  }

  @Test
  void theApiAnswersJsonUnderTheUiAndRefusesTooLargeImports() {
    APIResponse list = page.request().get(url("/ui/api/dashboards"));
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.headers().get("content-type")).contains("json");
    assertThat(list.text()).contains("\"uid\":\"services\"");
    APIResponse missing = page.request().get(url("/ui/api/dashboards/no-such"));
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.text()).contains("no dashboard with uid");
    APIResponse unknown = page.request().get(url("/ui/api/no-such-endpoint"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.text()).contains("no UI endpoint");
    String huge = "{\"title\": \"x\", \"description\": \"" + "a".repeat(3 * 1024 * 1024) + "\"}";
    APIResponse tooLarge = page.request().post(url("/ui/api/dashboards"), RequestOptions.create()
        .setHeader("Content-Type", "application/json").setData(huge));
    assertThat(tooLarge.status()).isEqualTo(413);
  }
}
