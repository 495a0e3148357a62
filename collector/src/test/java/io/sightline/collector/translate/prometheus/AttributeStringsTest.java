package io.sightline.collector.translate.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Label values from attribute values, and the float forms of {@code le} and {@code quantile}, as Go prints them. */
class AttributeStringsTest {

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', textBlock = """
      0.005    | 0.005
      1.0      | 1
      2.5      | 2.5
      1000.0   | 1000
      1e21     | 1000000000000000000000
      1e-10    | 0.0000000001
      0.1      | 0.1
      0.99     | 0.99
      -0.25    | -0.25
      Infinity | +Inf
      NaN      | NaN
      """)
  void plainFloatsAsStrconvFormatFloatF(double value, String expected) {
    assertThat(GoFloats.plain(value)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', textBlock = """
      1.5      | 1.5
      1.0      | 1
      0.0      | 0
      1e-7     | 1e-7
      1.5e-7   | 1.5e-7
      1e21     | 1e+21
      1.25e22  | 1.25e+22
      1e100    | 1e+100
      123456.0 | 123456
      """)
  void doublesAsPdataPrintsThem(double value, String expected) {
    assertThat(AttributeStrings.of(AnyValue.newBuilder().setDoubleValue(value).build())).isEqualTo(expected);
  }

  @Test
  void everyValueType() {
    assertThat(AttributeStrings.of(AnyValue.newBuilder().setStringValue("a\"b").build())).isEqualTo("a\"b");
    assertThat(AttributeStrings.of(AnyValue.newBuilder().setIntValue(-42).build())).isEqualTo("-42");
    assertThat(AttributeStrings.of(AnyValue.newBuilder().setBoolValue(true).build())).isEqualTo("true");
    assertThat(AttributeStrings.of(AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("hi")).build()))
        .isEqualTo("aGk=");
    assertThat(AttributeStrings.of(AnyValue.getDefaultInstance())).isEmpty();
    AnyValue list = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
        .addValues(AnyValue.newBuilder().setStringValue("x<y"))
        .addValues(AnyValue.newBuilder().setIntValue(1))
        .addValues(AnyValue.newBuilder().setDoubleValue(2.5))
        .addValues(AnyValue.getDefaultInstance())).build();
    assertThat(AttributeStrings.of(list)).isEqualTo("[\"x\\u003cy\",1,2.5,null]");
    AnyValue map = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
        .addValues(KeyValue.newBuilder().setKey("z").setValue(AnyValue.newBuilder().setBoolValue(false)))
        .addValues(KeyValue.newBuilder().setKey("a").setValue(AnyValue.newBuilder().setStringValue("1\n")))).build();
    assertThat(AttributeStrings.of(map)).isEqualTo("{\"a\":\"1\\n\",\"z\":false}");
  }

  @Test
  void aListWithANaNHasNoJsonAndSoNoValue() {
    AnyValue list = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
        .addValues(AnyValue.newBuilder().setDoubleValue(Double.NaN))).build();
    assertThat(AttributeStrings.of(list)).isEmpty();
    assertThat(AttributeStrings.of(AnyValue.newBuilder().setDoubleValue(Double.NaN).build()))
        .isEqualTo("json: unsupported value: NaN");
  }
}
