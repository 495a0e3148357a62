package io.sightline.logql.log;

import io.sightline.logql.template.Funcs;
import io.sightline.logql.template.Template;
import io.sightline.logql.template.TemplateException;
import java.util.List;
import java.util.Map;

/**
 * {@code | label_format dst=src, dst2="{{.a}}-{{.b}}"}: a rename moves the value and drops the source; a template
 * sets the label from the labels as they were when the stage began (Loki builds the map once per line).
 */
final class LabelsFormatter implements Stage {
  /** One {@code name=...}: {@code template} null for a rename of {@code source}. */
  record Format(String name, String source, Template template) {}

  private final Format[] formats;
  private final Funcs.Context context = new Funcs.Context();

  LabelsFormatter(List<Format> formats) {
    this.formats = formats.toArray(Format[]::new);
  }

  @Override
  public boolean process(long ts, Line line, LabelsBuilder lbs) {
    Map<String, String> data = null;
    String text = null;
    for (Format f : formats) {
      if (f.template() == null) {
        String v = lbs.get(f.source());
        if (v != null) {
          lbs.set(LabelsBuilder.Category.PARSED, f.name(), v);
          lbs.del(f.source());
        }
        continue;
      }
      if (data == null) {
        data = lbs.asMap();
        text = line.string();
      }
      try {
        lbs.set(LabelsBuilder.Category.PARSED, f.name(), f.template().execute(context.set(data, text, ts)));
      } catch (TemplateException e) {
        lbs.setErr(LineFormatter.TEMPLATE_ERR);
        lbs.setErrDetails(e.getMessage());
      }
    }
    return true;
  }
}
