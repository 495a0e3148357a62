package io.sightline.logql.log;

import io.sightline.logql.template.Funcs;
import io.sightline.logql.template.Template;
import io.sightline.logql.template.TemplateException;
import java.nio.charset.StandardCharsets;

/**
 * {@code | line_format "{{.a}} {{__line__}}"}: the line becomes the template's output. A template that is only
 * {@code {{.name}}} is a label lookup (an absent label gives an empty line), as in Loki. A failing template keeps the
 * line and sets {@code __error__=TemplateFormatErr}.
 */
final class LineFormatter implements Stage {
  static final String TEMPLATE_ERR = "TemplateFormatErr";

  private final Template template;
  private final String simpleKey;
  private final Funcs.Context context = new Funcs.Context();

  LineFormatter(Template template) {
    this.template = template;
    this.simpleKey = template.simpleField();
  }

  @Override
  public boolean process(long ts, Line line, LabelsBuilder lbs) {
    if (simpleKey != null) {
      String v = lbs.get(simpleKey);
      line.set(v == null ? new byte[0] : v.getBytes(StandardCharsets.UTF_8));
      return true;
    }
    try {
      String out = template.execute(context.set(lbs.asMap(), line.string(), ts));
      line.set(out.getBytes(StandardCharsets.UTF_8));
    } catch (TemplateException e) {
      lbs.setErr(TEMPLATE_ERR);
      lbs.setErrDetails(e.getMessage());
    }
    return true;
  }
}
