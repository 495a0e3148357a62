package io.sightline.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;

class Re2Test {
  @Test
  void re2NamedGroupsWork() {
    var m = Re2.compile("(?P<code>5..)", 0).matcher("503");
    assertThat(m.matches()).isTrue();
    assertThat(m.group("code")).isEqualTo("503");
    assertThat(Re2.compile("a\\++", 0).matcher("a++").matches()).isTrue();
  }

  @Test
  void whatRe2RefusesIsRefused() {
    for (String perl : new String[] {"(?=a)b", "(?!a)b", "(?<=a)b", "(?<!a)b", "(a)\\1", "(?>a)", "a*+", "a++"}) {
      assertThatThrownBy(() -> Re2.compile(perl, Pattern.DOTALL)).as(perl)
          .isInstanceOf(PatternSyntaxException.class).hasMessageContaining("invalid or unsupported Perl syntax");
    }
  }

  @Test
  void labelMatchersUseIt() {
    assertThat(LabelMatcher.regex("code", "(?P<c>5)..").matches("500")).isTrue();
    assertThatThrownBy(() -> LabelMatcher.regex("code", "(?=5)..")).isInstanceOf(PatternSyntaxException.class);
  }
}
