package io.sightline.collector.receiver.loki;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.core.model.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

class LokiErrorsTest {
  @Test
  void goTimePrintsAsGosTimeString() {
    assertThat(LokiErrors.goTime(1_665_408_344_000_000_000L)).isEqualTo("2022-10-10 13:25:44 +0000 UTC");
    assertThat(LokiErrors.goTime(1_665_408_344_120_000_000L)).isEqualTo("2022-10-10 13:25:44.12 +0000 UTC");
    assertThat(LokiErrors.goTime(1_665_408_344_000_000_001L)).isEqualTo("2022-10-10 13:25:44.000000001 +0000 UTC");
  }

  @Test
  void tooFarBehindListsEachEntryThenTheTotals() {
    String message = LokiErrors.tooFarBehind(Labels.of("app", "shop"), List.of(1_665_408_344_000_000_000L),
        1_667_000_000_000_000_000L, 3, 5);

    assertThat(message).isEqualTo("entry with timestamp 2022-10-10 13:25:44 +0000 UTC ignored, reason: 'entry too far"
        + " behind, entry timestamp is: 2022-10-10T13:25:44Z, oldest acceptable timestamp is: 2022-10-28T23:33:20Z',\n"
        + "user 'fake', total ignored: 3 out of 5 for stream: {app=\"shop\"}");
  }
}
