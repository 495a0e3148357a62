package io.sightline.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Response;
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
}
