package io.sightline.traceql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.sightline.traceql.syntax.Attribute;
import io.sightline.traceql.syntax.Intrinsic;
import io.sightline.traceql.syntax.Op;
import io.sightline.traceql.syntax.Scope;
import io.sightline.traceql.syntax.Static;
import io.sightline.traceql.syntax.TraceQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shape of results beyond which spans match: trace fields, span attributes, spanset attributes, conditions. */
class SearchResultTest {
  private static final TestTraces DATA = new TestTraces();

  private static TraceResult only(String query, int trace) throws TraceQLException {
    return Search.compile(query).evaluate(DATA.traces.get(trace - 1), 3).orElseThrow();
  }

  private static List<String> keyValues(List<KeyValue> kvs) {
    return kvs.stream().map(kv -> kv.getKey() + "=" + switch (kv.getValue().getValueCase()) {
      case STRING_VALUE -> kv.getValue().getStringValue();
      case INT_VALUE -> "int:" + kv.getValue().getIntValue();
      case DOUBLE_VALUE -> "float:" + kv.getValue().getDoubleValue();
      case BOOL_VALUE -> "bool:" + kv.getValue().getBoolValue();
      default -> kv.getValue().toString();
    }).toList();
  }

  @Test
  void traceFieldsAsTempoWritesThem() throws TraceQLException {
    TraceResult t = only("{ name = \"charge\" }", 3);
    assertThat(t.traceId()).isEqualTo("a35e0000000000000000000000000003");
    assertThat(t.rootServiceName()).isEqualTo("frontend");
    assertThat(t.rootTraceName()).isEqualTo("POST /api/checkout");
    assertThat(t.startTimeUnixNano()).isEqualTo(TestTraces.BASE + 3 * 60_000 * TestTraces.MS);
    assertThat(t.durationMs()).isEqualTo(130);
    assertThat(t.serviceStats()).containsExactly(
        java.util.Map.entry("cart", new ServiceStats(2, 0)), java.util.Map.entry("frontend", new ServiceStats(2, 0)),
        java.util.Map.entry("inventory", new ServiceStats(2, 0)), java.util.Map.entry("payment", new ServiceStats(2, 1)));
    SpanResult e = t.spanSet().spans().getFirst();
    assertThat(e.spanId()).isEqualTo("1300000000000065");
    assertThat(e.name()).isEqualTo("charge");
    assertThat(e.durationNanos()).isEqualTo(20 * TestTraces.MS);
    // name is a query field, but Tempo never repeats it among the attributes.
    assertThat(e.attributes()).isEmpty();
  }

  @Test
  void leadingZerosOfTraceIdsAreDropped() throws TraceQLException {
    assertThat(only("{ }", 7).traceId()).isEqualTo("7" + "0".repeat(26) + "07");
  }

  @Test
  void aTraceWithoutRootSaysSo() throws TraceQLException {
    TraceResult t = only("{ }", 11);
    assertThat(t.rootServiceName()).isEqualTo("<root span not yet received>");
    assertThat(t.rootTraceName()).isEmpty();
  }

  @Test
  void spansCarryTheFieldsTheQueryNames() throws TraceQLException {
    TraceResult t = only("{ resource.service.name = \"payment\" && status = error && span.payment.amount > 1 }"
        + " | select(statusMessage, event.exception.type, span:id, duration)", 3);
    assertThat(keyValues(t.spanSet().spans().getFirst().attributes())).containsExactly("service.name=payment",
        "status=error", "payment.amount=float:30.0", "statusMessage=card declined", "exception.type=CardError");
  }

  @Test
  void spansetsCarryGroupValuesAndAggregates() throws TraceQLException {
    TraceResult t = only("{ kind = server } | by(resource.service.name) | avg(duration) > 1ms", 3);
    assertThat(t.spanSets()).hasSize(3);
    assertThat(keyValues(t.spanSets().get(0).attributes()))
        .containsExactly("by(resource.service.name)=frontend", "avg(duration)=130ms");
    assertThat(keyValues(t.spanSets().get(2).attributes()))
        .containsExactly("by(resource.service.name)=payment", "avg(duration)=20ms");
    assertThat(keyValues(only("{ } | count() > 2", 2).spanSet().attributes())).containsExactly("count()=int:4");
  }

  @Test
  void spssCutsSpansButMatchedCountsThemAll() throws TraceQLException {
    SpanSetResult ss = Search.compile("{ }").evaluate(DATA.traces.get(8), 2).orElseThrow().spanSet();
    assertThat(ss.spans()).hasSize(2);
    assertThat(ss.matched()).isEqualTo(8);
  }

  @Test
  void conditionsAreWhatEveryMatchImplies() throws TraceQLException {
    Attribute service = new Attribute(Scope.RESOURCE, false, "service.name", null);
    Attribute duration = Attribute.intrinsic(Intrinsic.DURATION);
    assertThat(Search.compile("{ resource.service.name = \"a\" && 100ms < duration } | count() > 1").conditions())
        .containsExactly(new Condition(service, Op.EQ, Static.ofString("a")),
            new Condition(duration, Op.GT, Static.ofDuration(100 * TestTraces.MS)));
    assertThat(Search.compile("{ .a = 1 } || { .b = 2 }").conditions()).isEmpty();
    assertThat(Search.compile("{ .a = 1 || .b = 2 }").conditions()).isEmpty();
    assertThat(Search.compile("{ span.a != nil } !> { span.b =~ \"x.*\" }").conditions()).containsExactly(
        new Condition(new Attribute(Scope.SPAN, false, "b", null), Op.RE, Static.ofString("x.*")));
    assertThat(Search.compile("{ span.a != nil } > { }").conditions()).containsExactly(
        new Condition(new Attribute(Scope.SPAN, false, "a", null), Op.EXISTS, Static.NIL));
  }

  @Test
  void searchKeepsTheFirstFoundOrTheMostRecent() throws TraceQLException {
    SearchResponse first = Search.compile("{ }").search(DATA.traces, new SearchRequest(2, 3, 0, 0));
    assertThat(first.traces()).extracting(t -> DATA.traceLabels.get(t.traceId())).containsExactly("t02", "t01");
    SearchResponse recent = Search.compile("{ } with (most_recent=true)")
        .search(DATA.traces, new SearchRequest(2, 3, 0, 0));
    assertThat(recent.traces()).extracting(t -> DATA.traceLabels.get(t.traceId())).containsExactly("t12", "t11");
    long t5 = TestTraces.BASE + 5 * 60_000 * TestTraces.MS;
    SearchResponse window = Search.compile("{ }").search(DATA.traces, new SearchRequest(0, 3, t5, t5 + 1));
    assertThat(window.traces()).extracting(t -> DATA.traceLabels.get(t.traceId())).containsExactly("t05");
  }

  @Test
  void metricsQueriesAreNotSearches() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Search.compile("({} | rate()) + ({} | rate())"))
        .hasMessage("math expressions not supported");
  }
}
