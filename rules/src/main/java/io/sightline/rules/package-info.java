/**
 * Recording and alerting rule files in Prometheus' format ({@code groups:} of {@code record:}/{@code alert:}
 * rules), loaded and validated as Prometheus' {@code rulefmt} does: {@link io.sightline.rules.RuleFile#load}
 * either returns the {@link io.sightline.rules.RuleFile} or lists every problem with promtool's message
 * ({@code FILE: LINE:COL: group "g", rule 2, "name": ...}). Expressions are checked with the PromQL parser;
 * alerting rules' labels and annotations with the template parser of {@code io.sightline.rules.template}.
 * Evaluation, the rule manager and Alertmanager notification are not here yet.
 */
package io.sightline.rules;
