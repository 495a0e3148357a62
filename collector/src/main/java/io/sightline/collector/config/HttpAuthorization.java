package io.sightline.collector.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The authentication keys of Prometheus' HTTP client config ({@code prometheus/common} {@code HTTPClientConfig}),
 * shared by scraping and remote write: {@code basic_auth}, {@code authorization} or the older
 * {@code bearer_token(_file)}, each with its secret inline or in a file read once, at load.
 */
public final class HttpAuthorization {
  /** The keys, in the order the error names them. */
  public static final List<String> KEYS = List.of("basic_auth", "authorization", "bearer_token",
      "bearer_token_file");

  private HttpAuthorization() {}

  /** The {@code Authorization} header value the keys of {@code m} ask for, or null when none is set. */
  public static String parse(ConfigMap m) {
    List<String> given = new ArrayList<>();
    for (String key : KEYS) {
      if (m.has(key)) {
        given.add(key);
      }
    }
    if (given.size() > 1) {
      throw m.error(given.get(1), "at most one of basic_auth, authorization, bearer_token and bearer_token_file "
          + "may be set");
    }
    if (m.has("basic_auth")) {
      ConfigMap b = m.map("basic_auth");
      String user = b.string("username", "");
      String password = b.has("password_file") ? readSecret(b, "password_file") : b.string("password", "");
      b.finish();
      return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
    if (m.has("authorization")) {
      ConfigMap a = m.map("authorization");
      String type = a.string("type", "Bearer");
      String credentials = a.has("credentials_file") ? readSecret(a, "credentials_file") : a.string("credentials", "");
      a.finish();
      return type + " " + credentials;
    }
    if (m.has("bearer_token")) {
      return "Bearer " + m.string("bearer_token", "");
    }
    if (m.has("bearer_token_file")) {
      return "Bearer " + readSecret(m, "bearer_token_file");
    }
    return null;
  }

  private static String readSecret(ConfigMap m, String key) {
    String file = m.string(key, "");
    try {
      return Files.readString(Path.of(file)).strip();
    } catch (IOException e) {
      throw m.error(key, "cannot read " + file + ": " + e.getMessage());
    }
  }
}
