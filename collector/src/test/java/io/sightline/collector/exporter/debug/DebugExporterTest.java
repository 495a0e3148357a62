package io.sightline.collector.exporter.debug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sightline.collector.config.ConfigException;
import io.sightline.collector.config.YamlConfigLoader;
import io.sightline.collector.obsreport.ObsReport;
import io.sightline.collector.pipeline.ComponentId;
import io.sightline.collector.pipeline.ComponentSettings;
import io.sightline.collector.pipeline.ConsumeResult;
import io.sightline.collector.pipeline.Exporter;
import io.sightline.collector.pipeline.Host;
import io.sightline.collector.pipeline.Logs;
import io.sightline.collector.pipeline.Metrics;
import io.sightline.collector.pipeline.Signal;
import io.sightline.collector.pipeline.Telemetry;
import io.sightline.collector.pipeline.TestData;
import io.sightline.collector.pipeline.Traces;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class DebugExporterTest {
  private static final YamlConfigLoader LOADER = new YamlConfigLoader(k -> null);

  @TempDir
  Path dataDir;

  private final Logger logger = (Logger) LoggerFactory.getLogger("io.sightline.collector.exporter.debug");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private Level levelBefore;
  private boolean additiveBefore;
  private final AtomicLong now = new AtomicLong();

  @BeforeEach
  void capture() {
    levelBefore = logger.getLevel();
    additiveBefore = logger.isAdditive();
    logger.setLevel(Level.INFO);
    logger.setAdditive(false); // keep the test's output quiet: the captured events are what is checked
    appender.start();
    logger.addAppender(appender);
  }

  @AfterEach
  void release() {
    logger.detachAppender(appender);
    logger.setLevel(levelBefore);
    logger.setAdditive(additiveBefore);
  }

  private static DebugExporterFactory.Config config(String yaml) {
    return new DebugExporterFactory().parseConfig(LOADER.parse("t.yaml", yaml).map("debug"));
  }

  /** An exporter on the test's clock, so that sampling does not depend on when a second turns. */
  private <T extends Telemetry> DebugExporter<T> exporter(String yaml) {
    return new DebugExporter<>("debug", config(yaml), now::get);
  }

  private List<String> messages() {
    return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  private static Map<String, String> fields(ILoggingEvent e) {
    return e.getKeyValuePairs() == null ? Map.of()
        : e.getKeyValuePairs().stream().collect(Collectors.toMap(kv -> kv.key, kv -> String.valueOf(kv.value)));
  }

  @Test
  void basicLogsOneLineWithTheCountsPerBatch() {
    exporter("debug: {}").consume(TestData.traces(0, 2, 3, 4));
    exporter("debug: {}").consume(TestData.metrics(0, 3, 5));
    exporter("debug: {}").consume(TestData.logs(0, 7));
    assertThat(messages()).containsExactly("Traces", "Metrics", "Logs");
    assertThat(fields(appender.list.get(0))).containsEntry("exporter", "debug").containsEntry("resource_spans", "2")
        .containsEntry("spans", "24");
    assertThat(fields(appender.list.get(1))).containsEntry("resource_metrics", "1").containsEntry("metrics", "3")
        .containsEntry("data_points", "15");
    assertThat(fields(appender.list.get(2))).containsEntry("resource_logs", "1").containsEntry("log_records", "7");
    assertThat(appender.list).allMatch(e -> e.getLevel() == Level.INFO)
        .allMatch(e -> e.getLoggerName().equals("io.sightline.collector.exporter.debug"));
  }

  @Test
  void normalLogsALinePerSpanWithItsIds() {
    Span span = Span.newBuilder().setName("GET /users")
        .setTraceId(ByteString.fromHex("0102030405060708090a0b0c0d0e0f10")).setSpanId(ByteString.fromHex("a1a2a3a4a5a6a7a8"))
        .build();
    Traces t = Traces.of(List.of(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span)
        .addSpans(span.toBuilder().setName("SELECT"))).build()));
    exporter("debug: {verbosity: normal}").consume(t);
    assertThat(messages()).containsExactly("Traces", "GET /users", "SELECT");
    assertThat(fields(appender.list.get(1))).containsEntry("trace_id", "0102030405060708090a0b0c0d0e0f10")
        .containsEntry("span_id", "a1a2a3a4a5a6a7a8");
  }

  @Test
  void normalLogsALinePerMetricWithItsPointCount() {
    exporter("debug: {verbosity: Normal}").consume(TestData.metrics(0, 2, 3));
    assertThat(messages()).containsExactly("Metrics", "m0", "m1");
    assertThat(fields(appender.list.get(1))).containsEntry("type", "gauge").containsEntry("data_points", "3");
  }

  @Test
  void normalLogsALinePerLogRecordWithItsBody() {
    LogRecord structured = LogRecord.newBuilder().setSeverityText("WARN").setBody(AnyValue.newBuilder()
        .setKvlistValue(KeyValueList.newBuilder().addValues(KeyValue.newBuilder().setKey("user")
            .setValue(AnyValue.newBuilder().setStringValue("ann"))))).build();
    Logs l = Logs.of(List.of(ResourceLogs.newBuilder().addScopeLogs(ScopeLogs.newBuilder()
        .addLogRecords(LogRecord.newBuilder().setSeverityText("INFO")
            .setBody(AnyValue.newBuilder().setStringValue("user logged in")))
        .addLogRecords(structured)).build()));
    exporter("debug: {verbosity: normal}").consume(l);
    assertThat(messages()).hasSize(3);
    assertThat(messages().get(1)).isEqualTo("user logged in");
    assertThat(fields(appender.list.get(1))).containsEntry("severity", "INFO");
    assertThat(messages().get(2)).contains("user").contains("ann");
    assertThat(fields(appender.list.get(2))).containsEntry("severity", "WARN");
  }

  @Test
  void detailedDumpsTheWholeBatch() {
    exporter("debug: {verbosity: detailed}").consume(TestData.traces(0, 1, 1, 2));
    exporter("debug: {verbosity: detailed}").consume(TestData.logs(0, 1));
    exporter("debug: {verbosity: detailed}").consume(TestData.metrics(0, 1, 1));
    assertThat(messages()).hasSize(6);
    assertThat(messages().get(1)).contains("resource_spans").contains("name: \"span-0\"").contains("name: \"span-1\"")
        .contains("svc-0").contains("scope-0");
    assertThat(messages().get(3)).contains("log_records").contains("log-0");
    assertThat(messages().get(5)).contains("gauge").contains("as_int: 0").contains("unit: \"s\"");
  }

  @Test
  void samplingLogsTheFirstOfEachSecondThenEveryNth() {
    DebugExporter<Logs> e = exporter("debug: {sampling_initial: 2, sampling_thereafter: 3}");
    Logs batch = TestData.logs(0, 1);
    // as zap counts: 1 and 2 are logged, then 5, 8
    List<Integer> logged = IntStream.rangeClosed(1, 9).filter(i -> {
      int before = appender.list.size();
      e.consume(batch);
      return appender.list.size() > before;
    }).boxed().toList();
    assertThat(logged).containsExactly(1, 2, 5, 8);
    now.addAndGet(1_000_000_000L); // the next second starts afresh
    e.consume(batch);
    e.consume(batch);
    e.consume(batch);
    assertThat(appender.list).hasSize(6);
  }

  @Test
  void theDefaultsLogEverything() {
    DebugExporter<Traces> e = exporter("debug:");
    for (int i = 0; i < 10; i++) {
      e.consume(TestData.traces(0, 1, 1, 1));
    }
    assertThat(appender.list).hasSize(10);
  }

  @Test
  void samplingZeroInitialLogsOnlyEveryNth() {
    DebugExporter<Traces> e = exporter("debug: {sampling_initial: 0, sampling_thereafter: 4}");
    for (int i = 0; i < 8; i++) {
      e.consume(TestData.traces(0, 1, 1, 1));
    }
    assertThat(appender.list).hasSize(2);
  }

  @Test
  void itCompletesAtOnceAndLogsNothingWhenTheLoggerIsOff() {
    logger.setLevel(Level.WARN);
    DebugExporter<Traces> e = exporter("debug: {verbosity: detailed}");
    assertThat(e.consume(TestData.traces(0, 1, 1, 1))).isCompletedWithValue(ConsumeResult.ACCEPTED);
    assertThat(appender.list).isEmpty();
  }

  @Test
  void theFactoryMakesAnExporterForEverySignal() throws Exception {
    DebugExporterFactory f = new DebugExporterFactory();
    assertThat(f.type()).isEqualTo("debug");
    assertThat(f.signals()).isEqualTo(EnumSet.allOf(Signal.class));
    Exporter<Metrics> e = f.create(new ComponentSettings(ComponentId.parse("debug/2"),
        new Host(dataDir, new ObsReport(new PrometheusRegistry()))), config("debug: {}"), Signal.METRICS);
    e.start();
    assertThat(e.consume(TestData.metrics(0, 1, 2))).isCompletedWithValue(ConsumeResult.ACCEPTED);
    e.close();
    assertThat(fields(appender.list.get(0))).containsEntry("exporter", "debug/2");
  }

  @Test
  void configHasTheCollectorsKeysAndDefaults() {
    assertThat(config("debug:")).isEqualTo(new DebugExporterFactory.Config(DebugExporterFactory.Verbosity.BASIC, 2, 1));
    assertThat(config("debug: {verbosity: detailed, sampling_initial: 5, sampling_thereafter: 200, use_internal_logger: false}"))
        .isEqualTo(new DebugExporterFactory.Config(DebugExporterFactory.Verbosity.DETAILED, 5, 200));
  }

  @Test
  void configErrorsNameTheKey() {
    assertThatThrownBy(() -> config("debug: {verbosity: loud}")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("debug.verbosity: invalid verbosity \"loud\" (valid values: basic, normal, detailed)");
    assertThatThrownBy(() -> config("debug: {sampling_initial: -1}"))
        .hasMessageContaining("debug.sampling_initial: must be >= 0");
    assertThatThrownBy(() -> config("debug: {sampling_thereafter: 0}"))
        .hasMessageContaining("debug.sampling_thereafter: must be >= 1");
    assertThatThrownBy(() -> config("debug: {sampling_initial: two}"))
        .hasMessageContaining("debug.sampling_initial: invalid value \"two\"");
    assertThatThrownBy(() -> config("debug: {use_internal_logger: maybe}"))
        .hasMessageContaining("debug.use_internal_logger: invalid value \"maybe\"");
    assertThatThrownBy(() -> config("debug: {loglevel: debug}"))
        .hasMessageContaining("debug.loglevel: unknown key \"loglevel\"");
  }
}
