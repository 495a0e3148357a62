package io.sightline.collector.receiver.zipkin;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Endpoint addresses in the text Go's {@code net.IP.String()} gives them, which is what the Collector writes into
 * {@code net.host.ip} and {@code net.peer.ip}: IPv4 (also IPv4-mapped IPv6) as a dotted quad, IPv6 in RFC 5952's
 * short form.
 */
final class IpAddresses {
  private IpAddresses() {}

  /** A JSON endpoint's {@code ipv4} or {@code ipv6}, parsed as Go's {@code net.ParseIP} does (no host names). */
  static String parse(String text) throws ZipkinFormatException {
    if (text.indexOf(':') < 0) {
      byte[] v4 = parseIpv4(text);
      if (v4 == null) {
        throw new ZipkinFormatException("invalid IP address: " + text);
      }
      return format(v4);
    }
    // A literal with a colon is parsed as IPv6 by the JDK without any lookup; brackets and zones are not addresses.
    if (text.startsWith("[") || text.indexOf('%') >= 0) {
      throw new ZipkinFormatException("invalid IP address: " + text);
    }
    try {
      return format(InetAddress.getByName(text).getAddress());
    } catch (UnknownHostException e) {
      throw new ZipkinFormatException("invalid IP address: " + text);
    }
  }

  /** Four or sixteen address bytes (a proto3 endpoint's {@code ipv4} or {@code ipv6}). */
  static String format(byte[] ip) throws ZipkinFormatException {
    if (ip.length == 4) {
      return (ip[0] & 0xff) + "." + (ip[1] & 0xff) + "." + (ip[2] & 0xff) + "." + (ip[3] & 0xff);
    }
    if (ip.length != 16) {
      throw new ZipkinFormatException("invalid IP address of " + ip.length + " bytes");
    }
    if (isIpv4Mapped(ip)) {
      return format(java.util.Arrays.copyOfRange(ip, 12, 16));
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = (ip[2 * i] & 0xff) << 8 | (ip[2 * i + 1] & 0xff);
    }
    // The longest run of two or more zero groups (the first of equals) becomes "::".
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder out = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }

  private static boolean isIpv4Mapped(byte[] ip) {
    for (int i = 0; i < 10; i++) {
      if (ip[i] != 0) {
        return false;
      }
    }
    return ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
  }

  /** Go's rule: four decimal octets, none above 255, none with a leading zero. */
  private static byte[] parseIpv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
        return null;
      }
      int v = 0;
      for (int k = 0; k < p.length(); k++) {
        char c = p.charAt(k);
        if (c < '0' || c > '9') {
          return null;
        }
        v = v * 10 + (c - '0');
      }
      if (v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }
}
