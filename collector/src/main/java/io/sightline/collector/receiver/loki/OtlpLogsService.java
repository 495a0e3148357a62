package io.sightline.collector.receiver.loki;

import com.google.protobuf.InvalidProtocolBufferException;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.sightline.collector.receiver.Decompression;
import io.sightline.collector.receiver.otlp.OtlpRequests;
import java.io.IOException;
import java.util.Locale;

/**
 * Loki's {@code POST /otlp/v1/logs}: an OTLP/HTTP logs body (protobuf or JSON; gzip or zstd) mapped as Loki 3 maps
 * it, validated and stored as a push. Answers as Loki does: 204 with no body; errors as an OTLP {@code Status}
 * protobuf with the message (status code 0, {@code application/octet-stream}), a 500 turned into 503 so that
 * exporters retry.
 */
public final class OtlpLogsService implements HttpService {
  private static final MediaType OCTET_STREAM = MediaType.parse("application/octet-stream");

  private final LokiDistributor distributor;
  private final long maxDecompressedSize;

  /** Bodies inflate to at most the distributor's {@code max_decompressed_size}. */
  public OtlpLogsService(LokiDistributor distributor) {
    this.distributor = distributor;
    this.maxDecompressedSize = distributor.limits().maxDecompressedSize();
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    return LokiPushService.servePost(ctx, req, body -> push(req, body), OtlpLogsService::answer);
  }

  private PushResult push(HttpRequest req, AggregatedHttpRequest body) {
    String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING, "");
    if (!encoding.isEmpty() && !encoding.equals("gzip") && !encoding.equals("zstd")) {
      return new PushResult(400, "unsupported content encoding " + encoding + ": only gzip and zstd are supported"
          + (encoding.equals("lz4") ? " (lz4, which Loki also takes, is not supported yet)" : ""));
    }
    byte[] bytes;
    try {
      bytes = Decompression.inflate(body.content().array(), encoding, maxDecompressedSize);
    } catch (IOException e) {
      return new PushResult(400, Decompression.goMessage(encoding, e));
    }
    if (bytes == null) {
      return new PushResult(413, "request body too large: decompressed message size too large than max ("
          + (maxDecompressedSize + 1) + " vs " + maxDecompressedSize + ")");
    }
    String contentType = req.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
    String media = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    boolean json = media.equals("application/json");
    if (!json && !media.equals("application/x-protobuf")) {
      return new PushResult(400, "content type: " + contentType + " is not supported");
    }
    ExportLogsServiceRequest request;
    try {
      request = OtlpRequests.logs(bytes, json);
    } catch (InvalidProtocolBufferException e) {
      return new PushResult(400, e.getMessage());
    }
    return distributor.pushOtlp(request);
  }

  /** As {@link LokiPushService#tooLargeAnswer}, as an OTLP {@code Status}. */
  public static AggregatedHttpResponse tooLargeAnswer(RequestHeaders headers, long maxRequestLength) {
    return AggregatedHttpResponse.of(ResponseHeaders.of(HttpStatus.REQUEST_ENTITY_TOO_LARGE,
        HttpHeaderNames.CONTENT_TYPE, OCTET_STREAM), HttpData.wrap(statusMessage(LokiPushService.tooLarge(
        headers.contentLength(), maxRequestLength))));
  }

  private static byte[] statusMessage(String message) {
    return com.google.rpc.Status.newBuilder().setMessage(message).build().toByteArray();
  }

  static HttpResponse answer(PushResult result) {
    if (result.isSuccess()) {
      return HttpResponse.of(ResponseHeaders.of(HttpStatus.NO_CONTENT));
    }
    int status = result.status() == 500 ? 503 : result.status();
    return HttpResponse.of(ResponseHeaders.of(HttpStatus.valueOf(status), HttpHeaderNames.CONTENT_TYPE, OCTET_STREAM),
        HttpData.wrap(statusMessage(result.message())));
  }
}
