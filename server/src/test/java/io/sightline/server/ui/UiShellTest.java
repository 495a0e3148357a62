package io.sightline.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The frame around every page: routing, navigation, the theme, keyboard shortcuts, what the server serves. */
class UiShellTest extends BrowserTest {

  @Test
  void theRootOpensTheUi() {
    Response response = page.navigate(url("/"));
    assertThat(response.ok()).isTrue();
    assertThat(page).hasURL(url("/ui/metrics"));
    assertThat(page.locator("sl-app header nav")).containsText("Traces");
  }

  @Test
  void anUnknownPathSaysSoInsideTheFrame() {
    page.navigate(url("/ui/no-such-page"));
    assertThat(page.getByRole(com.microsoft.playwright.options.AriaRole.ALERT)).containsText("No page at /no-such-page");
  }

  @Test
  void theThemeSwitchesAndIsRemembered() {
    page.navigate(url("/ui/no-such-page"));
    String before = (String) page.evaluate("document.documentElement.dataset.theme");
    page.getByLabel("Switch theme").click();
    String after = (String) page.evaluate("document.documentElement.dataset.theme");
    assertThat(after).isNotEqualTo(before).isIn("light", "dark");
    page.reload();
    assertThat((String) page.evaluate("document.documentElement.dataset.theme")).isEqualTo(after);
  }

  @Test
  void everyModuleOfTheImportMapIsServedAsJavaScript() {
    page.navigate(url("/ui/no-such-page"));
    @SuppressWarnings("unchecked")
    java.util.Map<String, String> imports = (java.util.Map<String, String>) page.evaluate(
        "JSON.parse(document.querySelector('script[type=importmap]').textContent).imports");
    assertThat(imports).containsKeys("lit", "lit-html", "@lit/reactive-element", "uplot", "cytoscape");
    imports.forEach((specifier, path) -> {
      assertThat(path).as(specifier).doesNotContain("${");
      if (!path.endsWith("/")) {
        APIResponse r = page.request().get(url(path));
        assertThat(r.status()).as(path).isEqualTo(200);
        assertThat(r.headers().get("content-type")).as(path).contains("javascript");
        // Playwright asks for gzip; modules past Armeria's 1 KiB threshold come compressed.
        if (r.body().length > 2048) {
          assertThat(r.headers().get("content-encoding")).as(path).isIn("gzip", "br", "deflate");
        }
      }
    });
  }

  @Test
  void theTimePickerTakesRelativeAndAbsoluteTimesAndRefusesOthers() {
    page.navigate(url("/ui/metrics?query=up"));
    Locator picker = page.locator("sl-metrics-page sl-time-picker");
    picker.locator("button.range").click();
    picker.locator("input[name=from]").fill("now-2h");
    picker.locator("input[name=to]").fill("now-1h");
    picker.getByText("Apply time range").click();
    assertThat(page).hasURL(Pattern.compile("[?&]from=now-2h(&|$)"));
    assertThat(page).hasURL(Pattern.compile("[?&]to=now-1h(&|$)"));

    // Local times are read in the browser's zone (UTC here) and written as epoch milliseconds.
    picker.locator("button.range").click();
    picker.locator("input[name=from]").fill("2026-12-01 10:00:00");
    picker.locator("input[name=to]").fill("2026-12-01 11:30:00");
    picker.locator("input[name=to]").press("Enter");
    assertThat(page).hasURL(Pattern.compile("[?&]from=1796119200000(&|$)"));
    assertThat(page).hasURL(Pattern.compile("[?&]to=1796124600000(&|$)"));
    assertThat(picker.locator("button.range")).containsText("2026-12-01 10:00:00 to 2026-12-01 11:30:00");

    picker.locator("button.range").click();
    picker.locator("input[name=from]").fill("yesterday-ish");
    picker.getByText("Apply time range").click();
    assertThat(picker.getByRole(AriaRole.ALERT)).containsText("Use now-1h");
    picker.locator("input[name=from]").fill("now");
    picker.locator("input[name=to]").fill("now-1h");
    picker.getByText("Apply time range").click();
    assertThat(picker.getByRole(AriaRole.ALERT)).containsText("\"From\" must be before \"To\"");
    assertThat(page).hasURL(Pattern.compile("[?&]from=1796119200000(&|$)"));
    assertThat(page).hasURL(Pattern.compile("[?&]to=1796124600000(&|$)"));
  }
}
