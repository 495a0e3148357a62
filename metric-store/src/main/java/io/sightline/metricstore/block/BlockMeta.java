package io.sightline.metricstore.block;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A block's {@code meta.json}, with Prometheus' field names: its id, the time range {@code [minTime, maxTime)} it
 * covers, counts, and the compaction level and source blocks it was made from.
 */
public record BlockMeta(String ulid, long minTime, long maxTime, long numSeries, long numChunks, long numSamples,
    int level, List<String> sources) {
  static final int VERSION = 1;
  static final String FILE = "meta.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  public BlockMeta {
    sources = List.copyOf(sources);
  }

  /** Whether the block holds anything in {@code [mint, maxt]} (inclusive, as queries ask). */
  public boolean overlaps(long mint, long maxt) {
    return minTime <= maxt && maxTime > mint;
  }

  void write(Path dir) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("ulid", ulid).put("minTime", minTime).put("maxTime", maxTime);
    root.putObject("stats").put("numSamples", numSamples).put("numSeries", numSeries).put("numChunks", numChunks);
    ObjectNode compaction = root.putObject("compaction").put("level", level);
    ArrayNode src = compaction.putArray("sources");
    sources.forEach(src::add);
    root.put("version", VERSION);
    Files.write(dir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
  }

  static BlockMeta read(Path dir) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(dir.resolve(FILE).toFile());
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new CorruptBlockException(FILE + " does not parse: " + e.getOriginalMessage());
    }
    if (root == null || root.path("version").asInt() != VERSION || !root.path("ulid").isTextual()
        || !root.path("minTime").canConvertToLong() || !root.path("maxTime").canConvertToLong()) {
      throw new CorruptBlockException(FILE + " lacks ulid, minTime, maxTime or version " + VERSION);
    }
    List<String> sources = new ArrayList<>();
    root.path("compaction").path("sources").forEach(n -> sources.add(n.asText()));
    JsonNode stats = root.path("stats");
    return new BlockMeta(root.get("ulid").asText(), root.get("minTime").asLong(), root.get("maxTime").asLong(),
        stats.path("numSeries").asLong(), stats.path("numChunks").asLong(), stats.path("numSamples").asLong(),
        root.path("compaction").path("level").asInt(1), sources);
  }
}
