package io.sightline.server.dashboards;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where dashboards come from, in the order a later one replaces an earlier one of the same uid: built in (the class
 * path), provisioned (the {@code ui.dashboards.path} directory, read again on every request so an edited file shows
 * on the next page load, as Grafana's file provisioning picks up changes), imported (stored under
 * {@code <data_dir>/dashboards/<uid>.json}). A file that is not a valid dashboard is skipped with an error log
 * naming it, and shown nowhere else.
 */
public final class DashboardStore {
  private static final Logger log = LoggerFactory.getLogger(DashboardStore.class);
  /** The built-in dashboards, under {@code sightline-ui/dashboards/} in the ui module. */
  static final List<String> BUILT_IN = List.of("services.json");
  /** Grafana's own uid limit (40 characters) and alphabet, so a uid is always a safe file name. */
  private static final Pattern UID = Pattern.compile("[A-Za-z0-9_-]{1,40}");

  /** One dashboard in the list: what the list page shows and where it came from. */
  public record Summary(String uid, String title, List<String> tags, String source) {}

  /** A dashboard that cannot be stored, with the message the import dialog shows. */
  public static final class InvalidDashboardException extends Exception {
    InvalidDashboardException(String message) {
      super(message);
    }
  }

  private final ObjectMapper json = new ObjectMapper();
  /** Broken files already logged (path and modification time), so a list request does not log them again. */
  private final java.util.Set<String> reported = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Map<String, ObjectNode> builtIn = new LinkedHashMap<>();
  private final Path provisionedDir;
  private final Path importedDir;

  /**
   * @param provisionedDir the {@code ui.dashboards.path} directory, or null
   * @param importedDir where imports are stored ({@code <data_dir>/dashboards}); created on the first import
   */
  public DashboardStore(Path provisionedDir, Path importedDir) {
    this.provisionedDir = provisionedDir;
    this.importedDir = importedDir;
    for (String name : BUILT_IN) {
      String resource = "sightline-ui/dashboards/" + name;
      try (InputStream in = DashboardStore.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          log.atError().addKeyValue("resource", resource).log("built-in dashboard missing from the class path");
          continue;
        }
        ObjectNode d = validate(json.readTree(in));
        builtIn.put(d.get("uid").asText(), d);
      } catch (IOException | InvalidDashboardException e) {
        log.atError().addKeyValue("resource", resource).addKeyValue("err", e.getMessage())
            .log("skipping a broken built-in dashboard");
      }
    }
    if (provisionedDir != null && !Files.isDirectory(provisionedDir)) {
      log.atWarn().addKeyValue("path", provisionedDir)
          .log("ui.dashboards.path is not a directory (yet): no provisioned dashboards until it is");
    }
  }

  /** Every dashboard, sorted by title. */
  public List<Summary> list() {
    List<Summary> out = new ArrayList<>();
    for (Map.Entry<String, Sourced> e : all().entrySet()) {
      ObjectNode d = e.getValue().dashboard();
      List<String> tags = new ArrayList<>();
      d.path("tags").forEach(t -> tags.add(t.asText()));
      out.add(new Summary(e.getKey(), d.get("title").asText(), tags, e.getValue().source()));
    }
    out.sort(Comparator.comparing((Summary s) -> s.title().toLowerCase(Locale.ROOT)).thenComparing(Summary::uid));
    return out;
  }

  /** The dashboard JSON of a uid. */
  public Optional<ObjectNode> get(String uid) {
    return Optional.ofNullable(all().get(uid)).map(Sourced::dashboard);
  }

  /**
   * Validates and stores an imported dashboard: Grafana's dashboard JSON, or its export wrapper
   * {@code {"dashboard": {...}}}. Without a uid, one is made from the title. Returns the stored dashboard.
   */
  public synchronized ObjectNode importDashboard(String body) throws InvalidDashboardException {
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidDashboardException("not valid JSON: " + e.getOriginalMessage()
          + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
    }
    if (root == null || root.isMissingNode()) {
      throw new InvalidDashboardException("not valid JSON: the body is empty");
    }
    if (root.isObject() && root.path("dashboard").isObject()) {
      root = root.get("dashboard");
    }
    ObjectNode d = validate(root);
    try {
      Files.createDirectories(importedDir);
      Path target = importedDir.resolve(d.get("uid").asText() + ".json");
      Path tmp = importedDir.resolve(d.get("uid").asText() + ".json.tmp");
      Files.write(tmp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(d));
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store the dashboard under " + importedDir, e);
    }
    return d;
  }

  /**
   * Checks what the UI needs and fills what Grafana would: an object with a title, a uid (made from the title when
   * missing) and a list of panels. Panel types the UI does not draw are kept; it names them in their place.
   */
  ObjectNode validate(JsonNode root) throws InvalidDashboardException {
    if (root == null || !root.isObject()) {
      throw new InvalidDashboardException("a dashboard is a JSON object");
    }
    ObjectNode d = ((ObjectNode) root).deepCopy();
    JsonNode title = d.get("title");
    if (title == null || !title.isTextual() || title.asText().isBlank()) {
      throw new InvalidDashboardException("the dashboard has no title");
    }
    JsonNode uid = d.get("uid");
    if (uid == null || uid.isNull() || uid.asText().isEmpty()) {
      d.put("uid", slug(title.asText()));
    } else if (!uid.isTextual() || !UID.matcher(uid.asText()).matches()) {
      throw new InvalidDashboardException("uid \"" + uid.asText()
          + "\" must be 1 to 40 letters, digits, '-' or '_'");
    }
    JsonNode panels = d.get("panels");
    if (panels == null || panels.isNull()) {
      d.putArray("panels");
    } else if (!panels.isArray()) {
      throw new InvalidDashboardException("\"panels\" must be a list");
    } else {
      for (JsonNode p : panels) {
        if (!p.isObject()) {
          throw new InvalidDashboardException("every panel must be a JSON object");
        }
      }
    }
    JsonNode templating = d.path("templating").path("list");
    if (!templating.isMissingNode() && !templating.isArray()) {
      throw new InvalidDashboardException("\"templating.list\" must be a list");
    }
    return d;
  }

  /** A uid from a title, as Grafana makes URL slugs: lower case, runs of other characters as one '-'. */
  static String slug(String title) {
    String s = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    if (s.isEmpty()) {
      s = "dashboard";
    }
    return s.length() > 40 ? s.substring(0, 40) : s;
  }

  private record Sourced(ObjectNode dashboard, String source) {}

  private Map<String, Sourced> all() {
    Map<String, Sourced> out = new LinkedHashMap<>();
    builtIn.forEach((uid, d) -> out.put(uid, new Sourced(d, "built-in")));
    readDirectory(provisionedDir, "provisioned", out);
    readDirectory(importedDir, "imported", out);
    return out;
  }

  private void readDirectory(Path dir, String source, Map<String, Sourced> out) {
    if (dir == null || !Files.isDirectory(dir)) {
      return;
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.json")) {
      stream.forEach(files::add);
    } catch (IOException e) {
      log.atError().addKeyValue("path", dir).addKeyValue("err", e.getMessage()).log("cannot list dashboards");
      return;
    }
    files.sort(Comparator.naturalOrder());
    for (Path file : files) {
      try {
        ObjectNode d = validate(json.readTree(file.toFile()));
        out.put(d.get("uid").asText(), new Sourced(d, source));
      } catch (IOException | InvalidDashboardException e) {
        if (reported.add(file + "@" + file.toFile().lastModified())) {
          log.atError().addKeyValue("file", file).addKeyValue("err", e.getMessage())
              .log("skipping a dashboard file that is not a valid dashboard");
        }
      }
    }
  }
}
