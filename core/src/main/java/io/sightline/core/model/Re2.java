package io.sightline.core.model;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Regular expressions with Go's RE2 syntax on Java's engine: RE2's named groups ({@code (?P<name>…)}) are accepted,
 * and what RE2 refuses, because it cannot run in linear time, is refused here too with RE2's message: look-around,
 * back-references, atomic groups and possessive quantifiers. Matching is otherwise Java's, which agrees with RE2 on
 * the syntax both accept.
 */
public final class Re2 {
  private static final Pattern PERL_ONLY = Pattern.compile(
      "\\(\\?<?[=!]|\\(\\?>|(?<!\\\\)\\\\[1-9]|(?<!\\\\)[*+?}]\\+");

  private Re2() {}

  /**
   * @throws PatternSyntaxException for invalid expressions and for the constructs RE2 does not support
   */
  public static Pattern compile(String regex, int flags) {
    String java = regex.replace("(?P<", "(?<");
    var perl = PERL_ONLY.matcher(java);
    if (perl.find()) {
      throw new PatternSyntaxException("invalid or unsupported Perl syntax: `" + perl.group() + "`", regex,
          perl.start());
    }
    return Pattern.compile(java, flags);
  }
}
