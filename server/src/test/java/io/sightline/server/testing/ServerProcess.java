package io.sightline.server.testing;

import io.sightline.server.Main;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A Sightline server in a process of its own (for tests that kill it), started from this JVM's class path. */
public final class ServerProcess {
  private static final Duration READY_WAIT = Duration.ofSeconds(30);

  private ServerProcess() {}

  /** {@code sightline server --config config}, with a 256 MiB heap, its output in {@code log}. */
  public static Process start(Path config, Path log) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "server", "--config", config.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** Waits until {@code /-/ready} answers 200 on {@code httpPort}; fails with the server's log otherwise. */
  public static void awaitReady(int httpPort, Process process, Path log) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + READY_WAIT.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
            + "/-/ready")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the server did not become ready; its log:\n" + Files.readString(log));
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
