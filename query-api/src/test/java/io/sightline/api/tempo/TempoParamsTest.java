package io.sightline.api.tempo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.QueryParams;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tempo's parameter parsing and messages, the legacy tags' logfmt, and jsonpb's number and value forms. */
class TempoParamsTest {

  private static TempoSearch.Request search(String query) throws TempoApi.TempoError {
    QueryParams q = QueryParams.fromQueryString(query);
    return TempoSearch.parse(new TempoParams(q), q.names());
  }

  @Test
  void searchDefaultsAreTempos() throws Exception {
    TempoSearch.Request r = search("q=%7B%7D");
    assertThat(r.limit()).isEqualTo(20);
    assertThat(r.spss()).isEqualTo(3);
    assertThat(r.start()).isZero();
    assertThat(r.end()).isZero();
  }

  @Test
  void searchParametersFailWithTemposMessages() {
    assertThatThrownBy(() -> search("start=abc")).hasMessage(
        "invalid start: strconv.ParseUint: parsing \"abc\": invalid syntax");
    assertThatThrownBy(() -> search("limit=0")).hasMessage("invalid limit: must be a positive number");
    assertThatThrownBy(() -> search("limit=-1")).hasMessage(
        "invalid limit: strconv.ParseUint: parsing \"-1\": invalid syntax");
    assertThatThrownBy(() -> search("start=20&end=10")).hasMessage(
        "http parameter start must be before end. received start=20 end=10");
    assertThatThrownBy(() -> search("q=%7B%7D&tags=a%3Db")).hasMessage(
        "invalid request: can't specify tags and q in the same query");
    assertThatThrownBy(() -> search("minDuration=5x")).hasMessageStartingWith("invalid minDuration: time: ");
    assertThatThrownBy(() -> search("minDuration=2s&maxDuration=1s")).hasMessage(
        "invalid maxDuration: must be greater than minDuration");
    assertThatThrownBy(() -> search("start=99999999999")).hasMessage(
        "invalid start: strconv.ParseUint: parsing \"99999999999\": value out of range");
  }

  @Test
  void legacyTagsAreLogfmtAndDurationsGoDurations() throws Exception {
    TempoSearch.Request r = search("tags=service.name%3Dshop+http.url%3D%22%2Fa+b%22&minDuration=1.5s"
        + "&maxDuration=1m");
    assertThat(r.tags()).containsExactly(Map.entry("http.url", "/a b"), Map.entry("service.name", "shop"));
    assertThat(r.minDurationMs()).isEqualTo(1500);
    assertThat(r.maxDurationMs()).isEqualTo(60_000);
    assertThatThrownBy(() -> Logfmt.decode("a=1 a=2")).hasMessage("invalid tags: tag a has been set twice");
    assertThatThrownBy(() -> Logfmt.decode("a=\"open")).hasMessageStartingWith(
        "invalid tags: unterminated quoted value at pos");
    // Grafana's first search sent each tag as a parameter of its own.
    assertThat(search("service.name=shop&limit=5").tags()).containsExactly(Map.entry("service.name", "shop"));
  }

  @Test
  void timestampsAreSecondsNanosFractionsOrRfc3339() throws Exception {
    assertThat(TempoParams.timestamp("1700000000", "start")).isEqualTo(1_700_000_000_000_000_000L);
    assertThat(TempoParams.timestamp("1700000000123456789", "start")).isEqualTo(1_700_000_000_123_456_789L);
    assertThat(TempoParams.timestamp("1700000000.5", "start")).isEqualTo(1_700_000_000_500_000_000L);
    assertThat(TempoParams.timestamp("2023-11-14T22:13:20Z", "start")).isEqualTo(1_700_000_000_000_000_000L);
    assertThatThrownBy(() -> TempoParams.timestamp("noon", "end")).hasMessage("rpc error: code = Code(400) desc = "
        + "could not parse 'end' parameter: strconv.ParseInt: parsing \"noon\": invalid syntax");
  }

  @Test
  void stepsAreSecondsOrGoDurations() throws Exception {
    assertThat(TempoParams.step("15")).isEqualTo(15_000_000_000L);
    assertThat(TempoParams.step("0.5")).isEqualTo(500_000_000L);
    assertThat(TempoParams.step("1m30s")).isEqualTo(90_000_000_000L);
    assertThatThrownBy(() -> TempoParams.step("5d")).hasMessage(
        "rpc error: code = Code(400) desc = cannot parse \"5d\" to a valid duration");
    assertThatThrownBy(() -> TempoParams.step("-1s")).hasMessage(
        "rpc error: code = Code(400) desc = cannot parse \"-1s\": step must be positive");
    assertThat(TempoParams.since("2h")).isEqualTo(7_200_000_000_000L);
    assertThat(TempoParams.goDurationText(24 * 3600 * 1_000_000_000L)).isEqualTo("24h0m0s");
  }

  @Test
  void tagNamesMustBeOneAttribute() throws Exception {
    assertThat(TempoTags.identifier("resource.service.name").name()).isEqualTo("service.name");
    assertThat(TempoTags.identifier("name").intrinsic()).isNotNull();
    assertThatThrownBy(() -> TempoTags.identifier("a b")).hasMessageStartingWith(
        "please provide a valid tagName: failed to parse identifier a b: parse error at line 1, col");
  }

  @Test
  void jsonpbWritesInt64AsStringsAndOmitsZeros() throws Exception {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      g.writeStartObject();
      TempoJson.uint64(g, "startTimeUnixNano", 1_700_000_000_000_000_000L);
      TempoJson.uint64(g, "zero", 0);
      TempoJson.uint32(g, "durationMs", 12);
      TempoJson.number(g, "value", 0);
      TempoJson.number(g, "nan", Double.NaN);
      TempoJson.keyValues(g, "attributes", List.of(
          KeyValue.newBuilder().setKey("s").setValue(AnyValue.newBuilder().setStringValue("")).build(),
          KeyValue.newBuilder().setKey("i").setValue(AnyValue.newBuilder().setIntValue(200)).build(),
          KeyValue.newBuilder().setKey("d").setValue(AnyValue.newBuilder().setDoubleValue(200)).build(),
          KeyValue.newBuilder().setKey("a").setValue(AnyValue.newBuilder().setArrayValue(
              ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setBoolValue(true)))).build()));
      g.writeEndObject();
    }
    assertThat(out.toString()).isEqualTo("{\"startTimeUnixNano\":\"1700000000000000000\",\"durationMs\":12,"
        + "\"nan\":\"NaN\",\"attributes\":[{\"key\":\"s\",\"value\":{\"stringValue\":\"\"}},"
        + "{\"key\":\"i\",\"value\":{\"intValue\":\"200\"}},{\"key\":\"d\",\"value\":{\"doubleValue\":200}},"
        + "{\"key\":\"a\",\"value\":{\"arrayValue\":{\"values\":[{\"boolValue\":true}]}}}]}");
  }

  @Test
  void floatTagValuesAreGosShortestG() {
    assertThat(TempoJson.goFloat(99.5)).isEqualTo("99.5");
    assertThat(TempoJson.goFloat(2)).isEqualTo("2.0");
    assertThat(TempoJson.goFloat(1e6)).isEqualTo("1e+06");
    assertThat(TempoJson.goFloat(0.00001)).isEqualTo("1e-05");
  }
}
