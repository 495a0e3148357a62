package io.sightline.server.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardStoreTest {
  @TempDir
  Path dir;

  private DashboardStore store() {
    return new DashboardStore(dir.resolve("provisioned"), dir.resolve("data/dashboards"));
  }

  @Test
  void theBuiltInServicesDashboardIsListed() {
    DashboardStore store = store();
    assertThat(store.list()).extracting(DashboardStore.Summary::uid, DashboardStore.Summary::source)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("services", "built-in"));
    ObjectNode services = store.get("services").orElseThrow();
    assertThat(services.path("templating").path("list").get(0).path("query").asText())
        .isEqualTo("label_values(traces_spanmetrics_calls_total, service)");
    assertThat(services.path("panels")).extracting(p -> p.path("type").asText())
        .contains("timeseries", "stat", "table", "logs");
  }

  @Test
  void provisionedFilesAreReadOnEveryRequestAndBrokenOnesSkipped() throws Exception {
    DashboardStore store = store();
    Path provisioned = Files.createDirectories(dir.resolve("provisioned"));
    Files.writeString(provisioned.resolve("a.json"), "{\"uid\": \"a\", \"title\": \"Alpha\", \"tags\": [\"x\"]}");
    Files.writeString(provisioned.resolve("broken.json"), "{\"uid\": \"b\",");
    Files.writeString(provisioned.resolve("untitled.json"), "{\"uid\": \"c\"}");
    Files.writeString(provisioned.resolve("notes.txt"), "not a dashboard");
    assertThat(store.list()).extracting(DashboardStore.Summary::title).containsExactly("Alpha", "Services");
    assertThat(store.list().get(0).tags()).containsExactly("x");
    assertThat(store.list().get(0).source()).isEqualTo("provisioned");
    assertThat(store.get("b")).isEmpty();

    // A provisioned dashboard with a built-in's uid replaces it, as a changed file replaces the previous version.
    Files.writeString(provisioned.resolve("services.json"), "{\"uid\": \"services\", \"title\": \"My services\"}");
    assertThat(store.get("services").orElseThrow().path("title").asText()).isEqualTo("My services");
  }

  @Test
  void anImportIsUnwrappedGivenAUidStoredAndSurvivesARestart() throws Exception {
    ObjectNode saved = store().importDashboard(
        "{\"meta\": {}, \"dashboard\": {\"title\": \"Checkout: latency & errors\", \"panels\": [{\"type\": \"text\"}]}}");
    assertThat(saved.path("uid").asText()).isEqualTo("checkout-latency-errors");
    assertThat(dir.resolve("data/dashboards/checkout-latency-errors.json")).exists();

    DashboardStore restarted = store();
    assertThat(restarted.list()).filteredOn(s -> s.uid().equals("checkout-latency-errors"))
        .extracting(DashboardStore.Summary::source).containsExactly("imported");
    // Panel types the UI does not draw are kept: the page names them.
    assertThat(restarted.get("checkout-latency-errors").orElseThrow().path("panels").get(0).path("type").asText())
        .isEqualTo("text");
  }

  @Test
  void invalidImportsSayWhatIsWrong() {
    DashboardStore store = store();
    assertThatThrownBy(() -> store.importDashboard("{\"title\": ")).hasMessageStartingWith("not valid JSON");
    assertThatThrownBy(() -> store.importDashboard("")).hasMessageStartingWith("not valid JSON");
    assertThatThrownBy(() -> store.importDashboard("[1]")).hasMessage("a dashboard is a JSON object");
    assertThatThrownBy(() -> store.importDashboard("{\"panels\": []}")).hasMessage("the dashboard has no title");
    assertThatThrownBy(() -> store.importDashboard("{\"title\": \"t\", \"uid\": \"../etc\"}"))
        .hasMessageContaining("must be 1 to 40 letters");
    assertThatThrownBy(() -> store.importDashboard("{\"title\": \"t\", \"panels\": {}}"))
        .hasMessage("\"panels\" must be a list");
    assertThat(dir.resolve("data/dashboards")).doesNotExist();
  }

  @Test
  void slugsAreSafeUids() {
    assertThat(DashboardStore.slug("  Hello, World!  ")).isEqualTo("hello-world");
    assertThat(DashboardStore.slug("!!!")).isEqualTo("dashboard");
    assertThat(DashboardStore.slug("x".repeat(60))).hasSize(40);
  }
}
