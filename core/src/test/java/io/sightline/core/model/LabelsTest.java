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
  void anyOrderGivesTheSameSetAndTheLastValueOfANameWins() {
    String[] pairs = new String[40];
    for (int i = 0; i < 20; i++) {
      pairs[2 * i] = "l" + (char) ('t' - i);
      pairs[2 * i + 1] = "v" + i;
    }
    Labels reversed = Labels.of(pairs);
    Labels.Builder b = Labels.builder();
    for (int i = 0; i < 20; i++) {
      b.set(pairs[2 * i], pairs[2 * i + 1]);
    }
    assertThat(reversed).isEqualTo(b.build());
    for (int i = 1; i < reversed.size(); i++) {
      assertThat(reversed.name(i - 1)).isLessThan(reversed.name(i));
    }
    assertThat(Labels.of("a", "1", "b", "2", "a", "")).isEqualTo(Labels.of("b", "2"));
    assertThat(Labels.of("a", "", "a", "3")).isEqualTo(Labels.of("a", "3"));
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

  @Test
  void withAddsOrReplacesOneLabelInItsPlace() {
    Labels l = Labels.of("b", "2", "d", "4");
    assertThat(l.with("a", "1")).isEqualTo(Labels.of("a", "1", "b", "2", "d", "4"));
    assertThat(l.with("c", "3")).isEqualTo(Labels.of("b", "2", "c", "3", "d", "4"));
    assertThat(l.with("e", "5")).isEqualTo(Labels.of("b", "2", "d", "4", "e", "5"));
    assertThat(l.with("b", "9")).isEqualTo(Labels.of("b", "9", "d", "4"));
    assertThat(l.with("b", "2")).isSameAs(l);
    assertThat(l.with("b", "")).isEqualTo(Labels.of("d", "4"));
    assertThat(l.with("x", "")).isSameAs(l);
    assertThat(Labels.EMPTY.with("a", "1")).isEqualTo(Labels.of("a", "1"));
  }
}
