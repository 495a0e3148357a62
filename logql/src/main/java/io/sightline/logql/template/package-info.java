/**
 * Go's text/template as Loki's {@code line_format} and {@code label_format} run it, with Loki's function table
 * (Loki's own functions, the Sprig functions it registers, and the template built-ins).
 */
package io.sightline.logql.template;
