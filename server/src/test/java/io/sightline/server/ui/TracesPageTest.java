package io.sightline.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import io.sightline.server.ui.UiDataSet.ShopTrace;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Trace search (form and TraceQL), its results and the way from a result to the trace and to a comparison. */
class TracesPageTest extends BrowserTest {

  private Locator results() {
    return page.locator("sl-traces-page li.result");
  }

  @Test
  void searchesByServiceAndOperation() throws Exception {
    page.navigate(url("/ui/traces"));
    page.locator("select[name=service]").selectOption(UiDataSet.PAYMENT);
    // The operations come from Jaeger's API once a service is picked.
    assertThat(page.locator("select[name=operation] option", new com.microsoft.playwright.Page.LocatorOptions()
        .setHasText("POST /payments"))).hasCount(1);
    page.locator("select[name=operation]").selectOption("POST /payments");
    page.locator("input[name=limit]").fill("50");
    page.getByText("Find traces").click();

    assertThat(page).hasURL(Pattern.compile("service=payment-service.*operation=POST"));
    assertThat(results()).hasCount(data.traces().size());
    Locator first = results().first();
    assertThat(first.locator("a.title")).hasText(UiDataSet.ORDER + ": POST /orders");
    assertThat(first.locator(".spans")).hasText("7 spans");
    assertThat(page.locator("sl-traces-page .count")).hasText(data.traces().size() + " traces");
    screenshot("results");

    // Auto-refresh runs the same search again and keeps the list while it runs.
    page.locator("sl-time-picker select.refresh").selectOption("5s");
    assertThat(page).hasURL(Pattern.compile("refresh=5s"));
    page.waitForResponse(r -> r.url().contains("/jaeger/api/traces?"), () -> {});
    assertThat(results()).hasCount(data.traces().size());

    // The state is in the URL: a reload shows the same search.
    page.reload();
    assertThat(page.locator("select[name=service]")).hasValue(UiDataSet.PAYMENT);
    assertThat(results()).hasCount(data.traces().size());
  }

  @Test
  void searchesByTagsFindsOnlyTheFailedTraces() throws Exception {
    long failed = data.traces().stream().filter(ShopTrace::failed).count();
    page.navigate(url("/ui/traces?limit=50"));
    page.locator("input[name=tags]").fill("http.response.status_code=502 error=true");
    page.getByText("Find traces").click();

    assertThat(results()).hasCount((int) failed);
    for (Locator r : results().all()) {
      assertThat(r.locator(".errors")).hasText("2 errors");
      String id = r.getAttribute("data-trace-id");
      assertThat(data.traces().stream().filter(t -> t.traceId().equals(id)).findFirst().orElseThrow().failed())
          .as(id).isTrue();
    }
    screenshot("failed-only");
    page.getByLabel("Switch theme").click();
    screenshot("failed-only-other-theme");
  }

  @Test
  void aMinimumDurationFindsTheSlowTraces() {
    // A declined payment takes 60 ms more: only failed orders reach 100 ms, and none of the others does.
    long failed = data.traces().stream().filter(ShopTrace::failed).count();
    page.navigate(url("/ui/traces?limit=50"));
    page.locator("input[name=minDuration]").fill("100ms");
    page.locator("input[name=minDuration]").press("Enter");
    assertThat(page).hasURL(Pattern.compile("minDuration=100ms"));
    assertThat(results()).hasCount((int) failed);
    assertThat(results().locator(".errors")).hasCount((int) failed);

    // A duration Jaeger cannot parse is refused with its own message.
    page.locator("input[name=minDuration]").fill("fast");
    page.getByText("Find traces").click();
    assertThat(page.locator("sl-traces-page sl-error")).containsText("minDuration");
  }

  @Test
  void aTagThatIsNotLogfmtIsShownAtTheField() {
    page.navigate(url("/ui/traces"));
    page.locator("input[name=tags]").fill("error=true \"broken");
    page.getByText("Find traces").click();
    assertThat(page.locator("label.tags [role=alert]")).containsText("expected key=value");
  }

  @Test
  void searchesByTraceql() throws Exception {
    long failed = data.traces().stream().filter(ShopTrace::failed).count();
    page.navigate(url("/ui/traces?limit=50"));
    page.getByRole(com.microsoft.playwright.options.AriaRole.TAB,
        new com.microsoft.playwright.Page.GetByRoleOptions().setName("TraceQL")).click();
    Locator editor = page.locator("sl-query-editor textarea");
    editor.click();
    editor.pressSequentially("{ stat");
    // The completion offers intrinsics.
    assertThat(page.locator("sl-query-editor li[role=option]").first()).containsText("status");
    editor.press("Enter");
    assertThat(editor).hasValue("{ status");
    editor.pressSequentially(" = ");
    page.keyboard().press("Control+Space");
    assertThat(page.locator("sl-query-editor li[role=option]", new com.microsoft.playwright.Page.LocatorOptions()
        .setHasText("error"))).hasCount(1);
    editor.pressSequentially("error && resource.service.name = ");
    // Values come from the tag values API, quoted as strings are in TraceQL.
    assertThat(page.locator("sl-query-editor li[role=option]", new com.microsoft.playwright.Page.LocatorOptions()
        .setHasText("\"payment-service\""))).hasCount(1);
    editor.pressSequentially("\"payment-service\" }");
    screenshot("traceql-typed");
    page.locator("button.run").click();

    assertThat(page).hasURL(Pattern.compile("tab=traceql.*q=%7B"));
    assertThat(results()).hasCount((int) failed);
    assertThat(results().first().locator(".errors")).hasText("2 errors");
    assertThat(results().first().locator(".spans")).hasText("7 spans");
    screenshot("traceql-results");
  }

  @Test
  void aTraceqlSyntaxErrorIsShownInlineWithItsPosition() throws Exception {
    page.navigate(url("/ui/traces?tab=traceql"));
    Locator editor = page.locator("sl-query-editor textarea");
    editor.fill("{ status = }");
    page.locator("button.run").click();
    Locator error = page.locator("sl-query-editor .error");
    assertThat(error).containsText("invalid TraceQL query");
    assertThat(error).containsText("line 1, col 12");
    // Under the message, the query's line with a caret at the column: the "}" where a value should be.
    assertThat(error.textContent()).endsWith("\n{ status = }\n" + " ".repeat(11) + "^");
    assertThat(editor).hasAttribute("aria-invalid", "true");
    screenshot("traceql-error");
  }

  @Test
  void opensAResultAndComparesTwoTicked() throws Exception {
    ShopTrace ok = data.okTrace();
    ShopTrace failed = data.failedTrace();
    page.navigate(url("/ui/traces?limit=50"));
    Locator okRow = page.locator("li.result[data-trace-id=\"" + ok.traceId() + "\"]");
    Locator failedRow = page.locator("li.result[data-trace-id=\"" + failed.traceId() + "\"]");
    assertThat(page.locator("button.compare")).isDisabled();
    okRow.locator("input[type=checkbox]").check();
    failedRow.locator("input[type=checkbox]").check();
    Locator compare = page.locator("a.compare");
    assertThat(compare).hasAttribute("href", "/ui/compare?a=" + ok.traceId() + "&b=" + failed.traceId());
    // A longer trace has a longer bar: the failed payment took at least 60 ms more.
    double okWidth = okRow.locator(".bar span").boundingBox().width;
    double failedWidth = failedRow.locator(".bar span").boundingBox().width;
    assertThat(failedWidth).isGreaterThan(okWidth);
    compare.click();
    assertThat(page).hasURL(url("/ui/compare?a=" + ok.traceId() + "&b=" + failed.traceId()));
    assertThat(page.locator("sl-trace-compare .side-a")).containsText(ok.traceId());

    page.goBack();
    okRow.locator("a.title").click();
    assertThat(page).hasURL(url("/ui/trace/" + ok.traceId()));
    assertThat(page.locator("sl-trace-page h1")).containsText(UiDataSet.ORDER + ": POST /orders");
  }
}
