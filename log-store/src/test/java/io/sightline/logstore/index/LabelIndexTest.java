package io.sightline.logstore.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.core.model.LabelMatcher;
import io.sightline.core.model.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelIndexTest {
  private final List<Labels> streams = List.of(
      Labels.of("app", "api", "env", "prod"),
      Labels.of("app", "api", "env", "dev"),
      Labels.of("app", "db", "env", "prod"),
      Labels.of("app", "web"));
  private final LabelIndex index = new LabelIndex(streams);

  private List<Integer> select(LabelMatcher... m) {
    List<Integer> out = new java.util.ArrayList<>();
    index.select(List.of(m)).forEach((int i) -> out.add(i));
    // The head tests label sets one by one: both ways must agree.
    for (int i = 0; i < streams.size(); i++) {
      assertThat(LabelIndex.matches(streams.get(i), List.of(m))).isEqualTo(out.contains(i));
    }
    return out;
  }

  @Test
  void matchersSelectAsPromqlSelectorsDo() {
    assertThat(select()).containsExactly(0, 1, 2, 3);
    assertThat(select(LabelMatcher.equal("app", "api"))).containsExactly(0, 1);
    assertThat(select(LabelMatcher.equal("app", "api"), LabelMatcher.equal("env", "prod"))).containsExactly(0);
    assertThat(select(LabelMatcher.notEqual("env", "prod"))).containsExactly(1, 3);
    assertThat(select(LabelMatcher.equal("env", ""))).containsExactly(3);
    assertThat(select(LabelMatcher.notEqual("env", ""))).containsExactly(0, 1, 2);
    assertThat(select(LabelMatcher.regex("app", "a.*|w.b"))).containsExactly(0, 1, 3);
    assertThat(select(LabelMatcher.regex("env", "p.*|"))).containsExactly(0, 2, 3);
    assertThat(select(LabelMatcher.notRegex("app", "api|db"))).containsExactly(3);
    assertThat(select(LabelMatcher.equal("missing", "x"))).isEmpty();
    assertThat(select(LabelMatcher.regex("missing", ".*"))).containsExactly(0, 1, 2, 3);
  }
}
