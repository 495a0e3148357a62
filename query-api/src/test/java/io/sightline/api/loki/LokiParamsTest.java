package io.sightline.api.loki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpMethod;
import io.sightline.api.params.Params;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Loki's parameter forms, defaults and messages ({@code pkg/loghttp/params.go}). */
class LokiParamsTest {
  private static final long NOW = 1_700_000_000_000_000_000L;

  private static LokiParams params(String query) {
    return new LokiParams(Params.of(query, AggregatedHttpRequest.of(HttpMethod.GET, "/")), NOW);
  }

  @Test
  void timestampsInEveryFormLokiTakes() {
    assertThat(LokiParams.timestamp("1700000000", 0)).isEqualTo(NOW); // up to ten digits: seconds
    assertThat(LokiParams.timestamp("1700000000000000001", 0)).isEqualTo(NOW + 1); // longer: nanoseconds
    assertThat(LokiParams.timestamp("1700000000.1234", 0)).isEqualTo(NOW + 123_000_000L); // float: to the ms
    assertThat(LokiParams.timestamp("2023-11-14T22:13:20Z", 0)).isEqualTo(NOW);
    assertThat(LokiParams.timestamp("2023-11-14T23:13:20.000000005+01:00", 0)).isEqualTo(NOW + 5);
    assertThat(LokiParams.timestamp("", 42)).isEqualTo(42);
    assertThatThrownBy(() -> LokiParams.timestamp("now", 0))
        .hasMessage("strconv.ParseInt: parsing \"now\": invalid syntax");
    assertThatThrownBy(() -> LokiParams.timestamp("99999999999999999999", 0))
        .hasMessage("strconv.ParseInt: parsing \"99999999999999999999\": value out of range");
  }

  @Test
  void durationsAsFloatSecondsOrPrometheusUnits() throws Exception {
    assertThat(LokiParams.secondsOrDuration("1.5")).isEqualTo(1_500_000_000L);
    assertThat(LokiParams.secondsOrDuration("15000ms")).isEqualTo(15_000_000_000L);
    assertThat(LokiParams.secondsOrDuration("1h30m")).isEqualTo(5_400_000_000_000L);
    assertThat(LokiParams.secondsOrDuration("1w")).isEqualTo(7 * 86_400_000_000_000L);
    assertThatThrownBy(() -> LokiParams.secondsOrDuration("30m1h"))
        .hasMessage("cannot parse \"30m1h\" to a valid duration");
    assertThatThrownBy(() -> LokiParams.secondsOrDuration("1e30"))
        .hasMessage("cannot parse \"1e30\" to a valid duration. It overflows int64");
    assertThat(LokiParams.modelDurationMs("0")).isZero();
    assertThatThrownBy(() -> LokiParams.modelDurationMs("5 m")).hasMessage("not a valid duration string: \"5 m\"");
  }

  @Test
  void goDurationsPrintAsGoPrintsThem() {
    assertThat(LokiParams.goDuration(722 * 3_600_000_000_000L)).isEqualTo("722h0m0s");
    assertThat(LokiParams.goDuration(90_000_000_000L)).isEqualTo("1m30s");
    assertThat(LokiParams.goDuration(1_500_000_000L)).isEqualTo("1.5s");
    assertThat(LokiParams.goDuration(20_000_000L)).isEqualTo("20ms");
    assertThat(LokiParams.goDuration(0)).isEqualTo("0s");
  }

  @Test
  void boundsDefaultToTheHourBeforeNow() throws Exception {
    assertThat(params("").bounds()).containsExactly(NOW - LokiParams.DEFAULT_SINCE_NANOS, NOW);
    assertThat(params("since=15m").bounds()).containsExactly(NOW - 900_000_000_000L, NOW);
    // A start relative to an end in the future is taken from now.
    assertThat(params("end=" + (NOW + 7_200_000_000_000L)).bounds())
        .containsExactly(NOW - LokiParams.DEFAULT_SINCE_NANOS, NOW + 7_200_000_000_000L);
    LokiParams.RangeQuery q = params("query=x&start=1699996400").rangeQuery();
    assertThat(q.step()).isEqualTo(14_000_000_000L); // an hour over 250, whole seconds
    assertThat(q.limit()).isEqualTo(100);
    assertThat(q.forward()).isFalse();
    assertThat(params("direction=FORWARD").forward()).isTrue();
  }

  @Test
  void volumeBucketsEndAMillisecondBeforeTheNext() {
    long m = 60_000_000_000L;
    long t = NOW - NOW % m;
    List<long[]> b = LokiIndex.buckets(t + 30_000_000_000L, t + 3 * m, m);
    assertThat(b).hasSize(3);
    assertThat(b.get(0)).containsExactly(t + 30_000_000_000L, t + m - 1_000_000L);
    assertThat(b.get(1)).containsExactly(t + m, t + 2 * m - 1_000_000L);
    assertThat(b.get(2)).containsExactly(t + 2 * m, t + 3 * m);
    assertThat(LokiIndex.buckets(NOW, NOW + m, 0)).hasSize(1);
  }

  @Test
  void detectedFieldTypesAsLokiDeterminesThem() {
    assertThat(DetectedFields.type("42")).isEqualTo("int");
    assertThat(DetectedFields.type("-4.5")).isEqualTo("float");
    assertThat(DetectedFields.type("true")).isEqualTo("boolean");
    assertThat(DetectedFields.type("150ms")).isEqualTo("duration");
    assertThat(DetectedFields.type("10 KB")).isEqualTo("bytes");
    assertThat(DetectedFields.type("GET")).isEqualTo("string");
    assertThat(DetectedFields.shouldReject(List.of("0", "1"))).isFalse();
    assertThat(DetectedFields.shouldReject(List.of("17", "23", "42"))).isTrue();
    assertThat(DetectedFields.shouldReject(List.of("api", "42"))).isFalse();
    assertThat(DetectedFields.shouldReject(List.of())).isTrue();
  }
}
