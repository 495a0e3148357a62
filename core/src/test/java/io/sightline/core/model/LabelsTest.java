package io.sightline.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelsTest {
  @Test
  void sortedUniqueAndWithoutEmptyValues() {
    Labels l = Labels.of("job", "api", "__name__", "up", "instance", "a:1", "empty", "", "job", "web");
    assertThat(l.size()).isEqualTo(3);
    assertThat(l.name(0)).isEqualTo("__name__");
    assertThat(l.get("job")).isEqualTo("web");
    assertThat(l.get("missing")).isEmpty();
    assertThat(l.toString()).isEqualTo("up{instance=\"a:1\", job=\"web\"}");
    assertThat(l).isEqualTo(Labels.of("instance", "a:1", "job", "web", "__name__", "up"));
  }

  @Test
  void ordersAsPrometheus() {
    Labels a = Labels.of("__name__", "up", "job", "a");
    Labels b = Labels.of("__name__", "up", "job", "b");
    Labels prefix = Labels.of("__name__", "up");
    assertThat(a).isLessThan(b);
    assertThat(prefix).isLessThan(a);
  }

  @Test
  void matchersAreAnchoredAndTreatMissingAsEmpty() {
    assertThat(LabelMatcher.regex("job", "api|web").matches("api")).isTrue();
    assertThat(LabelMatcher.regex("job", "api").matches("api-2")).isFalse();
    assertThat(LabelMatcher.regex("job", ".*").matchesEmpty()).isTrue();
    assertThat(LabelMatcher.notEqual("job", "x").matches(null)).isTrue();
    assertThat(LabelMatcher.notRegex("job", "a.*").matches("abc")).isFalse();
    assertThat(LabelMatcher.equal("job", "").matchesEmpty()).isTrue();
  }
}
