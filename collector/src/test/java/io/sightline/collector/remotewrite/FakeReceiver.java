package io.sightline.collector.remotewrite;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A remote-write endpoint on 127.0.0.1 that answers from a script (then 204 when the script is done) and keeps every
 * request it got.
 */
public final class FakeReceiver implements AutoCloseable {
  public record Answer(int status, Map<String, String> headers, String body) {
    public static Answer of(int status) {
      return new Answer(status, Map.of(), "");
    }
  }

  public record Request(Headers headers, byte[] body) {
    public Decoded decoded() throws Exception {
      return Decoded.snappy(body);
    }
  }

  private final HttpServer server;
  private final Deque<Answer> script = new ArrayDeque<>();
  private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();

  public FakeReceiver(Answer... answers) throws IOException {
    script.addAll(java.util.List.of(answers));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/write", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      requests.add(new Request(exchange.getRequestHeaders(), body));
      Answer a;
      synchronized (script) {
        a = script.isEmpty() ? Answer.of(204) : script.poll();
      }
      a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
      try (OutputStream o = exchange.getResponseBody()) {
        o.write(out);
      }
    });
    server.start();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write");
  }

  /** The next request, waiting for it (a bound against a hang, not a timing check). */
  public Request next() throws InterruptedException {
    Request r = requests.poll(30, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("no request arrived");
    }
    return r;
  }

  /** Requests received and not taken yet. */
  public int waiting() {
    return requests.size();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
