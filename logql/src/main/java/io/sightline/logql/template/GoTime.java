package io.sightline.logql.template;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * Go's {@code time.Time} in templates: an instant with a zone, formatted and parsed with Go's reference layouts
 * ({@code 2006-01-02T15:04:05Z07:00}). Loki's server zone ({@code time.Local}) is taken to be UTC.
 */
record GoTime(ZonedDateTime t) {
  static final GoTime ZERO = new GoTime(ZonedDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));

  static GoTime ofNanos(long nanos) {
    return new GoTime(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos,
        1_000_000_000L)).atZone(ZoneOffset.UTC));
  }

  long unixSeconds() {
    return t.toEpochSecond();
  }

  long unixNanos() {
    return t.toEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /** Go's {@code Time.String}: {@code 2006-01-02 15:04:05.999999999 -0700 MST}. */
  @Override
  public String toString() {
    return format("2006-01-02 15:04:05.999999999 -0700 MST");
  }

  private static final String[] TOKENS = {"January", "Monday", "2006", "-07:00:00", "-070000", "Z07:00:00",
      "Z070000", "-07:00", "-0700", "Z07:00", "Z0700", "Jan", "Mon", "MST", "002", "__2", "_2", "15", "01", "02",
      "03", "04", "05", "06", "-07", "Z07", "PM", "pm", "1", "2", "3", "4", "5"};

  /** The layout element at {@code i}, or null for literal text. */
  private static String token(String layout, int i) {
    if (layout.startsWith(".0", i) || layout.startsWith(".9", i) || layout.startsWith(",0", i)
        || layout.startsWith(",9", i)) {
      char d = layout.charAt(i + 1);
      int j = i + 1;
      while (j < layout.length() && layout.charAt(j) == d) {
        j++;
      }
      // a fraction only when no digit follows
      if (j >= layout.length() || !Character.isDigit(layout.charAt(j))) {
        return layout.substring(i, j);
      }
    }
    for (String tok : TOKENS) {
      if (layout.startsWith(tok, i)) {
        if (tok.equals("Jan") && layout.startsWith("January", i) || tok.equals("Mon") && layout.startsWith(
            "Monday", i)) {
          continue;
        }
        return tok;
      }
    }
    return null;
  }

  String format(String layout) {
    StringBuilder b = new StringBuilder();
    int i = 0;
    while (i < layout.length()) {
      String tok = token(layout, i);
      if (tok == null) {
        b.append(layout.charAt(i++));
        continue;
      }
      i += tok.length();
      int offset = t.getOffset().getTotalSeconds();
      switch (tok) {
        case "January" -> b.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
        case "Jan" -> b.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
        case "Monday" -> b.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
        case "Mon" -> b.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
        case "2006" -> b.append(String.format("%04d", t.getYear()));
        case "06" -> b.append(String.format("%02d", t.getYear() % 100));
        case "01" -> b.append(String.format("%02d", t.getMonthValue()));
        case "1" -> b.append(t.getMonthValue());
        case "02" -> b.append(String.format("%02d", t.getDayOfMonth()));
        case "_2" -> b.append(String.format("%2d", t.getDayOfMonth()));
        case "2" -> b.append(t.getDayOfMonth());
        case "002" -> b.append(String.format("%03d", t.getDayOfYear()));
        case "__2" -> b.append(String.format("%3d", t.getDayOfYear()));
        case "15" -> b.append(String.format("%02d", t.getHour()));
        case "03" -> b.append(String.format("%02d", hour12()));
        case "3" -> b.append(hour12());
        case "04" -> b.append(String.format("%02d", t.getMinute()));
        case "4" -> b.append(t.getMinute());
        case "05" -> b.append(String.format("%02d", t.getSecond()));
        case "5" -> b.append(t.getSecond());
        case "PM" -> b.append(t.getHour() >= 12 ? "PM" : "AM");
        case "pm" -> b.append(t.getHour() >= 12 ? "pm" : "am");
        case "MST" -> b.append(zoneAbbreviation());
        default -> {
          if (tok.startsWith("Z") || tok.startsWith("-")) {
            if (tok.startsWith("Z") && offset == 0) {
              b.append('Z');
            } else {
              b.append(offset(offset, tok));
            }
          } else {
            // fractional seconds: .000 fixed, .999 trimmed
            int digits = tok.length() - 1;
            String frac = String.format("%09d", t.getNano()).substring(0, Math.min(9, digits));
            if (tok.charAt(1) == '9') {
              frac = frac.replaceAll("0+$", "");
              if (!frac.isEmpty()) {
                b.append(tok.charAt(0)).append(frac);
              }
            } else {
              b.append(tok.charAt(0)).append(frac);
            }
          }
        }
      }
    }
    return b.toString();
  }

  private int hour12() {
    int h = t.getHour() % 12;
    return h == 0 ? 12 : h;
  }

  private String zoneAbbreviation() {
    if (t.getZone() instanceof ZoneOffset o) {
      if (o.getTotalSeconds() == 0) {
        return "UTC";
      }
      return offset(o.getTotalSeconds(), "-0700").replaceAll("00$", "");
    }
    return t.getZone().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
  }

  private static String offset(int seconds, String tok) {
    String sign = seconds < 0 ? "-" : "+";
    int a = Math.abs(seconds);
    String hh = String.format("%02d", a / 3600);
    String mm = String.format("%02d", a / 60 % 60);
    String ss = String.format("%02d", a % 60);
    String body = tok.substring(1);
    return switch (body) {
      case "07:00:00" -> sign + hh + ":" + mm + ":" + ss;
      case "070000" -> sign + hh + mm + ss;
      case "07:00" -> sign + hh + ":" + mm;
      case "0700" -> sign + hh + mm;
      default -> sign + hh;
    };
  }

  /** Go's {@code time.ParseInLocation}; null when the text does not fit the layout. */
  static GoTime parse(String layout, String value, ZoneId zone) {
    int year = 1;
    int month = 1;
    int day = 1;
    int hour = 0;
    int minute = 0;
    int second = 0;
    int nanos = 0;
    boolean pm = false;
    boolean hasPm = false;
    Integer offset = null;
    int i = 0;
    int v = 0;
    try {
      while (i < layout.length()) {
        String tok = token(layout, i);
        if (tok == null) {
          if (v >= value.length() || value.charAt(v) != layout.charAt(i)) {
            return null;
          }
          i++;
          v++;
          continue;
        }
        i += tok.length();
        switch (tok) {
          case "2006" -> {
            year = Integer.parseInt(value.substring(v, v + 4));
            v += 4;
          }
          case "06" -> {
            int yy = Integer.parseInt(value.substring(v, v + 2));
            year = yy >= 69 ? 1900 + yy : 2000 + yy;
            v += 2;
          }
          case "01", "02", "15", "03", "04", "05" -> {
            int n = Integer.parseInt(value.substring(v, v + 2));
            v += 2;
            switch (tok) {
              case "01" -> month = n;
              case "02" -> day = n;
              case "15", "03" -> hour = n;
              case "04" -> minute = n;
              default -> second = n;
            }
          }
          case "1", "2", "3", "4", "5", "_2" -> {
            if (tok.equals("_2") && v < value.length() && value.charAt(v) == ' ') {
              v++;
            }
            int st = v;
            while (v < value.length() && v - st < 2 && Character.isDigit(value.charAt(v))) {
              v++;
            }
            int n = Integer.parseInt(value.substring(st, v));
            switch (tok) {
              case "1" -> month = n;
              case "2", "_2" -> day = n;
              case "3" -> hour = n;
              case "4" -> minute = n;
              default -> second = n;
            }
          }
          case "Jan", "January" -> {
            Month found = null;
            for (Month m : Month.values()) {
              String name = m.getDisplayName(tok.equals("Jan") ? TextStyle.SHORT : TextStyle.FULL, Locale.ENGLISH);
              if (value.regionMatches(true, v, name, 0, name.length())) {
                found = m;
                v += name.length();
                break;
              }
            }
            if (found == null) {
              return null;
            }
            month = found.getValue();
          }
          case "Mon", "Monday" -> {
            boolean ok = false;
            for (DayOfWeek d : DayOfWeek.values()) {
              String name = d.getDisplayName(tok.equals("Mon") ? TextStyle.SHORT : TextStyle.FULL, Locale.ENGLISH);
              if (value.regionMatches(true, v, name, 0, name.length())) {
                v += name.length();
                ok = true;
                break;
              }
            }
            if (!ok) {
              return null;
            }
          }
          case "PM", "pm" -> {
            String ap = value.substring(v, v + 2).toUpperCase(Locale.ROOT);
            hasPm = true;
            pm = ap.equals("PM");
            if (!pm && !ap.equals("AM")) {
              return null;
            }
            v += 2;
          }
          case "MST" -> {
            int st = v;
            while (v < value.length() && Character.isUpperCase(value.charAt(v))) {
              v++;
            }
            if (value.substring(st, v).equals("UTC") || value.substring(st, v).equals("GMT")) {
              offset = 0;
            }
          }
          default -> {
            if (tok.startsWith("Z") && v < value.length() && value.charAt(v) == 'Z') {
              v++;
              offset = 0;
            } else if (tok.startsWith("Z") || tok.startsWith("-")) {
              char sign = value.charAt(v);
              if (sign != '+' && sign != '-') {
                return null;
              }
              int hh = Integer.parseInt(value.substring(v + 1, v + 3));
              v += 3;
              int mm = 0;
              if (tok.length() > 3) {
                if (value.charAt(v) == ':') {
                  v++;
                }
                mm = Integer.parseInt(value.substring(v, v + 2));
                v += 2;
              }
              offset = (sign == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
            } else {
              // fraction: digits after the separator
              if (v < value.length() && (value.charAt(v) == '.' || value.charAt(v) == ',')) {
                v++;
                int st = v;
                while (v < value.length() && Character.isDigit(value.charAt(v))) {
                  v++;
                }
                String f = (value.substring(st, v) + "000000000").substring(0, 9);
                nanos = Integer.parseInt(f);
              } else if (tok.charAt(1) == '0') {
                return null;
              }
            }
          }
        }
      }
      // Go also accepts a fraction after seconds that the layout does not show.
      if (v < value.length() && (value.charAt(v) == '.' || value.charAt(v) == ',') && layout.contains("05")) {
        v++;
        int st = v;
        while (v < value.length() && Character.isDigit(value.charAt(v))) {
          v++;
        }
        nanos = Integer.parseInt((value.substring(st, v) + "000000000").substring(0, 9));
      }
      if (v != value.length()) {
        return null;
      }
      if (hasPm) {
        if (hour == 12) {
          hour = 0;
        }
        if (pm) {
          hour += 12;
        }
      }
      LocalDateTime ldt = LocalDateTime.of(year, month, day, hour, minute, second, nanos);
      return new GoTime(offset != null ? ldt.atOffset(ZoneOffset.ofTotalSeconds(offset)).toZonedDateTime()
          : ldt.atZone(zone));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
