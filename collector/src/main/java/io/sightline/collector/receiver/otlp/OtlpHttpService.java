package io.sightline.collector.receiver.otlp;

import static io.sightline.collector.receiver.EarlyAnswers.afterBody;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.util.Exceptions;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.sightline.collector.obsreport.ObsReport.ReceiverCounters;
import io.sightline.collector.pipeline.Consumer;
import io.sightline.collector.pipeline.Telemetry;
import io.sightline.collector.receiver.Decompression;
import java.io.IOException;
import java.util.Locale;

/**
 * One OTLP/HTTP path ({@code /v1/traces} and so on). Answers in the request's encoding, with the status codes and
 * plain-text messages of the Collector's receiver.
 */
final class OtlpHttpService<T extends Telemetry> implements HttpService {
  static final MediaType PROTOBUF = MediaType.parse("application/x-protobuf");
  static final String UNSUPPORTED_MEDIA_TYPE = "415 unsupported media type, supported: [application/json, application/x-protobuf]";
  static final String METHOD_NOT_ALLOWED = "405 method not allowed, supported: [POST]";

  private final OtlpCodec<T> codec;
  private final Consumer<T> next;
  private final ReceiverCounters counters;
  private final long maxBodySize;

  OtlpHttpService(OtlpCodec<T> codec, Consumer<T> next, ReceiverCounters counters, long maxBodySize) {
    this.codec = codec;
    this.next = next;
    this.counters = counters;
    this.maxBodySize = maxBodySize;
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    if (req.method() != HttpMethod.POST) {
      return afterBody(req, HttpResponse.builder().status(HttpStatus.METHOD_NOT_ALLOWED)
          .header(HttpHeaderNames.ALLOW, "POST").content(MediaType.PLAIN_TEXT_UTF_8, METHOD_NOT_ALLOWED).build());
    }
    MediaType type = req.contentType();
    boolean json;
    if (type != null && type.is(MediaType.JSON)) {
      json = true;
    } else if (type != null && type.is(PROTOBUF)) {
      json = false;
    } else {
      return afterBody(req,
          HttpResponse.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, MediaType.PLAIN_TEXT_UTF_8, UNSUPPORTED_MEDIA_TYPE));
    }
    String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING, "identity").strip().toLowerCase(Locale.ROOT);
    if (!isSupportedEncoding(encoding)) {
      return afterBody(req, error(json, HttpStatus.BAD_REQUEST, com.google.rpc.Code.INVALID_ARGUMENT,
          "unsupported Content-Encoding \"" + encoding + "\" (supported: gzip, deflate, zlib, identity)"));
    }
    return HttpResponse.of(req.aggregate().thenCompose(body -> handle(body, json, encoding)).exceptionally(failure -> {
      if (Exceptions.peel(failure) instanceof ContentTooLargeException) {
        return HttpResponse.of(HttpStatus.REQUEST_ENTITY_TOO_LARGE, MediaType.PLAIN_TEXT_UTF_8,
            "413 request body too large: exceeds max_request_body_size (" + maxBodySize + " bytes)");
      }
      return Exceptions.throwUnsafely(failure);
    }));
  }


  private java.util.concurrent.CompletableFuture<HttpResponse> handle(AggregatedHttpRequest body, boolean json,
      String encoding) {
    T batch;
    try {
      byte[] bytes = decompress(body.content().array(), encoding);
      batch = json ? codec.wrap(readJson(bytes)) : codec.parseProto(bytes);
    } catch (BodyTooLargeException e) {
      return done(error(json, HttpStatus.REQUEST_ENTITY_TOO_LARGE, com.google.rpc.Code.INVALID_ARGUMENT, e.getMessage()));
    } catch (InvalidProtocolBufferException e) {
      return done(error(json, HttpStatus.BAD_REQUEST, com.google.rpc.Code.INVALID_ARGUMENT,
          "failed to unmarshal request body: " + e.getMessage()));
    } catch (IOException e) {
      return done(error(json, HttpStatus.BAD_REQUEST, com.google.rpc.Code.INVALID_ARGUMENT,
          "failed to decompress request body (" + encoding + "): " + e.getMessage()));
    }
    int items = batch.itemCount();
    return next.consume(batch).handle((result, failure) -> {
      if (failure == null) {
        counters.accepted().inc(items - Math.min(items, result.rejected()));
        counters.refused().inc(Math.min(items, result.rejected()));
        return respond(json, HttpStatus.OK, codec.response(result));
      }
      counters.refused().inc(items);
      ExportOutcome outcome = ExportOutcome.of(failure);
      HttpResponse response = error(json, HttpStatus.valueOf(outcome.httpStatus()), outcome.grpcCode(), outcome.message());
      if (outcome.retryAfter() != null) {
        return response.mapHeaders(h -> h.toBuilder().set(HttpHeaderNames.RETRY_AFTER,
            Long.toString(outcome.retryAfterSeconds())).build());
      }
      return response;
    });
  }

  private Message readJson(byte[] bytes) throws InvalidProtocolBufferException {
    Message.Builder builder = codec.newRequestBuilder();
    OtlpJson.merge(bytes, builder);
    return builder.build();
  }

  static boolean isSupportedEncoding(String encoding) {
    return switch (encoding) {
      case "", "identity", "gzip", "x-gzip", "deflate", "zlib" -> true;
      default -> false;
    };
  }

  /** Inflates a compressed body, never beyond the size limit: a small gzip bomb must not fill the heap. */
  private byte[] decompress(byte[] body, String encoding) throws IOException {
    if (encoding.isEmpty() || encoding.equals("identity")) {
      return body;
    }
    byte[] out = Decompression.inflate(body, encoding, maxBodySize);
    if (out == null) {
      throw new BodyTooLargeException("request body too large: the decompressed body exceeds max_request_body_size ("
          + maxBodySize + " bytes)");
    }
    return out;
  }

  private static HttpResponse respond(boolean json, HttpStatus status, Message message) {
    ResponseHeaders headers = ResponseHeaders.of(status, HttpHeaderNames.CONTENT_TYPE,
        json ? MediaType.JSON : PROTOBUF);
    return json ? HttpResponse.of(headers, com.linecorp.armeria.common.HttpData.ofUtf8(OtlpJson.print(message)))
        : HttpResponse.of(headers, com.linecorp.armeria.common.HttpData.wrap(message.toByteArray()));
  }

  /** An error body is a {@code google.rpc.Status} in the request's encoding, as the specification asks. */
  static HttpResponse error(boolean json, HttpStatus status, com.google.rpc.Code code, String message) {
    return respond(json, status, com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(message).build());
  }

  private static <V> java.util.concurrent.CompletableFuture<V> done(V value) {
    return java.util.concurrent.CompletableFuture.completedFuture(value);
  }

  static final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLargeException(String message) {
      super(message);
    }
  }
}
