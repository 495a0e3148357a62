package io.sightline.collector.exporter.otlp;

import io.sightline.collector.config.YamlConfigLoader;
import io.sightline.collector.pipeline.ComponentId;
import io.sightline.collector.pipeline.ComponentSettings;
import io.sightline.collector.pipeline.ConsumeResult;
import io.sightline.collector.pipeline.Consumer;
import io.sightline.collector.pipeline.Host;
import io.sightline.collector.pipeline.NextConsumers;
import io.sightline.collector.pipeline.Receiver;
import io.sightline.collector.pipeline.Telemetry;
import io.sightline.collector.receiver.otlp.OtlpReceiverFactory;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The far end for exporter tests: Sightline's own OTLP receiver on free loopback ports, keeping what it takes and
 * answering as {@link #answer} says (at once, by default).
 */
public final class OtlpPeer implements AutoCloseable {
  public final List<Telemetry> received = new CopyOnWriteArrayList<>();
  public final AtomicInteger attempts = new AtomicInteger();
  public volatile Function<Telemetry, CompletableFuture<ConsumeResult>> answer =
      b -> CompletableFuture.completedFuture(ConsumeResult.ACCEPTED);
  private final Receiver receiver;

  public OtlpPeer(Host host) throws Exception {
    OtlpReceiverFactory f = new OtlpReceiverFactory();
    var config = f.parseConfig(new YamlConfigLoader(k -> null).parse("peer.yaml", """
        otlp:
          protocols:
            grpc: {endpoint: "127.0.0.1:0"}
            http: {endpoint: "127.0.0.1:0"}
        """).map("otlp"));
    receiver = f.create(new ComponentSettings(ComponentId.parse("otlp/peer"), host), config,
        new NextConsumers(consumer(), consumer(), consumer()));
    receiver.start();
  }

  private <T extends Telemetry> Consumer<T> consumer() {
    return batch -> {
      attempts.incrementAndGet();
      CompletableFuture<ConsumeResult> r = answer.apply(batch);
      return r.thenApply(ok -> {
        received.add(batch);
        return ok;
      });
    };
  }

  public int grpcPort() {
    return receiver.ports().get("grpc");
  }

  public int httpPort() {
    return receiver.ports().get("http");
  }

  @Override
  public void close() throws Exception {
    receiver.close();
  }
}
