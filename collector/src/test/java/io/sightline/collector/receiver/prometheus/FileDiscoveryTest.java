package io.sightline.collector.receiver.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.core.model.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDiscoveryTest {
  @TempDir
  Path dir;

  @Test
  void jsonAndYamlGroupsByGlobAndABrokenFileKeepsWhatItLastGave() throws Exception {
    Path json = dir.resolve("a.json");
    Path yaml = dir.resolve("b.yml");
    Files.writeString(json, "[{\"targets\": [\"h1:9100\", \"h2:9100\"], \"labels\": {\"env\": \"prod\"}}]");
    Files.writeString(yaml, "- targets: [\"h3:9100\"]\n");
    Files.writeString(dir.resolve("ignored.txt"), "not matched");
    FileDiscovery d = new FileDiscovery(List.of(dir.resolve("*.json").toString(), dir.resolve("*.yml").toString()));
    List<ScrapeConfig.StaticConfig> groups = d.groups();
    assertThat(groups).hasSize(2);
    assertThat(groups.get(0).targets()).containsExactly("h1:9100", "h2:9100");
    assertThat(groups.get(0).labels()).isEqualTo(Labels.of("env", "prod", "__meta_filepath", json.toString()));
    assertThat(groups.get(1).targets()).containsExactly("h3:9100");

    Files.writeString(json, "[{\"targets\": [\"h1:9100\"");  // half written
    assertThat(d.groups()).hasSize(2).first().satisfies(g -> assertThat(g.targets()).hasSize(2));
    Files.delete(yaml);
    assertThat(d.groups()).hasSize(1);
  }
}
