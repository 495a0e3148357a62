package io.sightline.server.embedded;

import static io.sightline.collector.receiver.EarlyAnswers.afterBody;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.util.Exceptions;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sightline.collector.receiver.zipkin.ZipkinFormatException;
import io.sightline.collector.receiver.zipkin.ZipkinSpans;
import io.sightline.tracestore.SpanAppender;
import io.sightline.tracestore.TraceStore;
import io.sightline.tracestore.HeadFullException;
import io.sightline.tracestore.TraceTooLargeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v2/spans}: Zipkin v2 spans (JSON, or proto3 {@code ListOfSpans} with
 * {@code application/x-protobuf}; gzip or deflate) into the trace store, translated as the Collector's zipkin receiver
 * translates them. Answers as Zipkin's collector does: 202 with an empty body once the store's commit has returned
 * (the spans are in the WAL, so an acknowledged span survives a killed process); 400 with the reason for a body that
 * does not decode (nothing of it is stored); 413 past {@code server.http.max_request_body_size}, compressed or not;
 * 415 for another content type or encoding; 503 with {@code Retry-After} while the store is not open or cannot write,
 * which Zipkin reporters retry. A body without a content type is read as JSON, as Zipkin reads it.
 */
final class ZipkinSpansService implements HttpService {
  private static final Logger log = LoggerFactory.getLogger(ZipkinSpansService.class);
  private static final MediaType X_PROTOBUF = MediaType.parse("application/x-protobuf");
  private static final MediaType PROTOBUF = MediaType.parse("application/protobuf");

  private final Supplier<TraceStore> store;
  private final long maxBodySize;
  private final CounterDataPoint accepted;
  private final CounterDataPoint refused;
  private final CounterDataPoint invalidRequests;

  /** @param store the trace store, which opens after the routes are built */
  ZipkinSpansService(Supplier<TraceStore> store, long maxBodySize, PrometheusRegistry registry) {
    this.store = store;
    this.maxBodySize = maxBodySize;
    Counter spans = Counter.builder().name("sightline_zipkin_spans")
        .help("Spans received on Zipkin's POST /api/v2/spans, by what became of them.").labelNames("result")
        .register(registry);
    accepted = spans.labelValues("accepted");
    refused = spans.labelValues("refused");
    invalidRequests = Counter.builder().name("sightline_zipkin_invalid_requests")
        .help("Zipkin span requests refused because their body did not decode.").register(registry).labelValues();
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    if (req.method() != HttpMethod.POST) {
      return afterBody(req, HttpResponse.builder().status(HttpStatus.METHOD_NOT_ALLOWED)
          .header(HttpHeaderNames.ALLOW, "POST").content(MediaType.PLAIN_TEXT_UTF_8, "Method Not Allowed\n").build());
    }
    MediaType type = req.contentType();
    boolean proto;
    if (type == null || type.is(MediaType.JSON)) {
      proto = false;
    } else if (type.is(X_PROTOBUF) || type.is(PROTOBUF)) {
      proto = true;
    } else {
      return afterBody(req, text(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported Content-Type \"" + type
          + "\": Zipkin spans are application/json or application/x-protobuf"));
    }
    String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING, "identity").strip().toLowerCase(Locale.ROOT);
    if (!encoding.isEmpty() && !encoding.equals("identity") && !encoding.equals("gzip") && !encoding.equals("x-gzip")
        && !encoding.equals("deflate")) {
      return afterBody(req, text(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported Content-Encoding \"" + encoding
          + "\" (supported: gzip, deflate, identity)"));
    }
    if (store.get() == null) {
      return afterBody(req, unavailable("the trace store is not open"));
    }
    // Decoding is quick, but the commit writes (and may sync) the WAL: keep it off the event loop.
    return HttpResponse.of(req.aggregate()
        .thenApplyAsync(body -> write(body, proto, encoding), ctx.blockingTaskExecutor())
        .exceptionally(failure -> {
          if (Exceptions.peel(failure) instanceof ContentTooLargeException) {
            return tooLarge("");
          }
          if (Exceptions.peel(failure) instanceof java.util.concurrent.RejectedExecutionException) {
            return unavailable("the trace store is shutting down");
          }
          return Exceptions.throwUnsafely(failure);
        }));
  }

  private HttpResponse write(AggregatedHttpRequest request, boolean proto, String encoding) {
    List<ResourceSpans> batch;
    try {
      byte[] body = decompress(request.content().array(), encoding);
      if (body == null) {
        return tooLarge("the decompressed ");
      }
      batch = proto ? ZipkinSpans.fromProto3(body) : ZipkinSpans.fromJson(body);
    } catch (ZipkinFormatException e) {
      invalidRequests.inc();
      return text(HttpStatus.BAD_REQUEST, e.getMessage());
    } catch (IOException e) {
      invalidRequests.inc();
      return text(HttpStatus.BAD_REQUEST, "failed to decompress the request body (" + encoding + "): "
          + e.getMessage());
    }
    TraceStore traces = store.get();
    if (traces == null) {
      return unavailable("the trace store is not open");
    }
    SpanAppender appender = traces.appender();
    long total = 0;
    long refusedSpans = 0;
    String firstRefusal = null;
    try {
      for (ResourceSpans rs : batch) {
        long n = spanCount(rs);
        total += n;
        try {
          appender.append(rs);
        } catch (TraceTooLargeException | IllegalArgumentException e) {
          refusedSpans += n;
          firstRefusal = firstRefusal == null ? e.getMessage() : firstRefusal;
        }
      }
      appender.commit();
    } catch (IOException | IllegalStateException e) {
      // Nothing of the batch was kept: the reporter's retry stores it once.
      appender.rollback();
      log.atWarn().setCause(e).log("zipkin: the trace store could not commit a batch");
      return unavailable("the trace store could not write its WAL: " + e.getMessage());
    } catch (HeadFullException e) {
      appender.rollback(); // nothing kept: the reporter's retry, once a block cut makes room, stores it once
      return unavailable(e.getMessage());
    } catch (RuntimeException e) {
      appender.rollback();
      throw e;
    }
    accepted.inc(total - refusedSpans);
    refused.inc(refusedSpans);
    if (firstRefusal != null) {
      return text(HttpStatus.BAD_REQUEST, refusedSpans + " of " + total + " spans could not be stored (the others"
          + " were); first: " + firstRefusal);
    }
    // Headers alone: HttpResponse.of(status) would add a "202 Accepted" body, and Zipkin's answer has none.
    return HttpResponse.of(ResponseHeaders.of(HttpStatus.ACCEPTED));
  }

  /** The body inflated, never beyond the size limit (a small gzip bomb must not fill the heap); null past it. */
  private byte[] decompress(byte[] body, String encoding) throws IOException {
    InputStream in = switch (encoding) {
      case "gzip", "x-gzip" -> new GZIPInputStream(new ByteArrayInputStream(body));
      case "deflate" -> new InflaterInputStream(new ByteArrayInputStream(body));
      default -> null;
    };
    if (in == null) {
      return body;
    }
    try (in) {
      byte[] out = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodySize + 1));
      return out.length > maxBodySize ? null : out;
    }
  }

  private static long spanCount(ResourceSpans rs) {
    long n = 0;
    for (ScopeSpans ss : rs.getScopeSpansList()) {
      n += ss.getSpansCount();
    }
    return n;
  }

  private HttpResponse tooLarge(String which) {
    return text(HttpStatus.REQUEST_ENTITY_TOO_LARGE, which + "request body is larger than"
        + " server.http.max_request_body_size (" + maxBodySize + " bytes)");
  }

  private static HttpResponse unavailable(String why) {
    return HttpResponse.builder().status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaderNames.RETRY_AFTER, Long.toString(SightlineMetricsExporter.RETRY_AFTER.toSeconds()))
        .content(MediaType.PLAIN_TEXT_UTF_8, why + ": retry later\n").build();
  }

  private static HttpResponse text(HttpStatus status, String message) {
    return HttpResponse.of(status, MediaType.PLAIN_TEXT_UTF_8, message + "\n");
  }
}
