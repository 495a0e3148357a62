package io.sightline.logql.log;

import io.sightline.logql.syntax.GoRegex;
import java.util.regex.Matcher;

/** {@code | regexp "(?P<name>...)"}: each named group of the first match becomes a label. */
final class RegexpParser implements Stage {
  private final LineRegex re;
  private final String[] names;

  RegexpParser(GoRegex regex) {
    re = new LineRegex(regex.pattern());
    names = new String[regex.groupNames().size()];
    for (int i = 0; i < names.length; i++) {
      String n = regex.groupNames().get(i);
      names[i] = n.isEmpty() ? null : KeyCache.sanitize(n, true);
    }
  }

  @Override
  public boolean process(long ts, Line line, LabelsBuilder lbs) {
    Matcher m = re.on(line.buf, line.off, line.len);
    if (!m.find()) {
      return true;
    }
    for (int g = 0; g < names.length; g++) {
      if (names[g] == null || names[g].isEmpty()) {
        continue;
      }
      String v = m.group(g + 1);
      lbs.set(LabelsBuilder.Category.PARSED, lbs.extractedName(names[g]), v == null ? "" : v);
    }
    return true;
  }
}
