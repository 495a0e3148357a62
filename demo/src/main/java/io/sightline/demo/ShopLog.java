package io.sightline.demo;

import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;

/**
 * JSON log lines through the OpenTelemetry Logs API, as a logging bridge would send them: the record takes the
 * current span's trace and span ids, so that a line links to its trace.
 */
final class ShopLog {
  private final Logger logger;

  ShopLog(Logger logger) {
    this.logger = logger;
  }

  void info(String message, Object... fields) {
    emit(Severity.INFO, "info", message, fields);
  }

  void warn(String message, Object... fields) {
    emit(Severity.WARN, "warn", message, fields);
  }

  void error(String message, Object... fields) {
    emit(Severity.ERROR, "error", message, fields);
  }

  private void emit(Severity severity, String level, String message, Object... fields) {
    StringBuilder json = new StringBuilder("{\"level\":\"").append(level).append("\",\"msg\":");
    Json.string(json, message);
    for (int i = 0; i + 1 < fields.length; i += 2) {
      json.append(',');
      Json.string(json, fields[i].toString());
      json.append(':');
      Object v = fields[i + 1];
      if (v instanceof Number || v instanceof Boolean) {
        json.append(v);
      } else {
        Json.string(json, String.valueOf(v));
      }
    }
    logger.logRecordBuilder().setSeverity(severity).setSeverityText(level.toUpperCase(java.util.Locale.ROOT))
        .setBody(json.append('}').toString()).emit();
  }
}
