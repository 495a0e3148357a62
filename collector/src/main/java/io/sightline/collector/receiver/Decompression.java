package io.sightline.collector.receiver;

import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * Request bodies inflated by their {@code Content-Encoding}, never beyond a size limit: a small gzip bomb must not
 * fill the heap.
 */
public final class Decompression {
  private Decompression() {}

  /**
   * The body decompressed, or null when it holds more than {@code max} bytes. {@code deflate} is read with or
   * without the zlib wrapper: HTTP says zlib (the Collector reads that), Go's {@code flate} reader that Loki uses
   * takes raw DEFLATE, and senders of both exist.
   *
   * @param encoding lower case; {@code ""} and {@code identity} return the body itself
   */
  public static byte[] inflate(byte[] body, String encoding, long max) throws IOException {
    InputStream in = switch (encoding) {
      case "gzip", "x-gzip" -> new GZIPInputStream(new ByteArrayInputStream(body));
      case "deflate", "zlib" -> new InflaterInputStream(new ByteArrayInputStream(body), new Inflater(!isZlib(body)));
      case "zstd" -> new ZstdInputStream(new ByteArrayInputStream(body));
      case "", "identity" -> null;
      default -> throw new IOException("unsupported Content-Encoding \"" + encoding + "\"");
    };
    if (in == null) {
      return body.length > max ? null : body;
    }
    try (in) {
      byte[] out = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
      return out.length > max ? null : out;
    }
  }

  /** A zlib header: deflate with a window of at most 32 KiB, and a check value that makes the pair divisible by 31. */
  private static boolean isZlib(byte[] b) {
    return b.length >= 2 && (b[0] & 0x0f) == 8 && (b[0] & 0xff) >> 4 <= 7 && ((b[0] & 0xff) << 8 | (b[1] & 0xff)) % 31
        == 0;
  }

  /** How Go's readers word the failure {@code e} of {@link #inflate}, for the services whose messages are Go's. */
  public static String goMessage(String encoding, IOException e) {
    if (e instanceof EOFException) {
      return "unexpected EOF";
    }
    String m = e.getMessage() == null ? "" : e.getMessage();
    return switch (encoding) {
      case "gzip", "x-gzip" -> m.contains("Not in GZIP format") ? "gzip: invalid header"
          : m.contains("trailer") ? "gzip: invalid checksum" : e instanceof ZipException ? "flate: corrupt input" : m;
      case "deflate", "zlib" -> e instanceof ZipException ? "flate: corrupt input" : m;
      case "zstd" -> "zstd: " + m;
      default -> m;
    };
  }
}
