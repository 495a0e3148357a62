/**
 * The template language of alert labels and annotations: Go's {@code text/template} (text, actions,
 * pipelines, {@code if}/{@code else}/{@code with}/{@code range}, variables) with Go's builtins and
 * Prometheus' functions ({@code humanize}, {@code humanizeDuration}, {@code reReplaceAll}, ...), output
 * formatted as Go's {@code fmt} does. Parsing ({@link io.sightline.rules.template.TemplateParser}) is
 * kept apart from execution ({@link io.sightline.rules.template.Executor}); the function table
 * ({@link io.sightline.rules.template.Functions}) is data. Not supported: {@code define},
 * {@code template}, {@code block}, {@code break}/{@code continue}, and {@code query} at run time.
 */
package io.sightline.rules.template;
