package io.sightline.api.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ParamsTest {
  private static Params get(String query) {
    return Params.of(query, AggregatedHttpRequest.of(RequestHeaders.of(HttpMethod.GET, "/")));
  }

  @Test
  void timesInSecondsOrRfc3339() throws Exception {
    assertThat(get("t=1700000000.123").timeMs("t", 0)).isEqualTo(1_700_000_000_123L);
    assertThat(get("t=1700000000").timeMs("t", 0)).isEqualTo(1_700_000_000_000L);
    assertThat(get("t=2023-11-14T22:13:20.5Z").timeMs("t", 0)).isEqualTo(1_700_000_000_500L);
    assertThat(get("").timeMs("t", 42)).isEqualTo(42);
    assertThatThrownBy(() -> get("t=yesterday").timeMs("t", 0))
        .hasMessage("invalid parameter \"t\": cannot parse \"yesterday\" to a valid timestamp");
  }

  @Test
  void durationsInSecondsOrUnits() throws Exception {
    assertThat(get("s=15").duration("s")).isEqualTo(Duration.ofSeconds(15));
    assertThat(get("s=0.5").duration("s")).isEqualTo(Duration.ofMillis(500));
    assertThat(get("s=1h30m").duration("s")).isEqualTo(Duration.ofMinutes(90));
    assertThat(get("s=250ms").duration("s")).isEqualTo(Duration.ofMillis(250));
    assertThatThrownBy(() -> get("s=5x").duration("s")).hasMessageContaining("cannot parse \"5x\" to a valid duration");
  }

  @Test
  void formBodyAndQueryStringMerge() {
    AggregatedHttpRequest post = AggregatedHttpRequest.of(RequestHeaders.builder(HttpMethod.POST, "/")
        .contentType(MediaType.FORM_DATA).build(), com.linecorp.armeria.common.HttpData.ofUtf8(
            "match%5B%5D=up&match%5B%5D=down"));
    Params p = Params.of("start=1", post);
    assertThat(p.getAll("match[]")).containsExactly("up", "down");
    assertThat(p.get("start")).isEqualTo("1");
  }
}
