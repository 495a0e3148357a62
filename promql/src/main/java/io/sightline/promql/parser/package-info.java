/**
 * PromQL syntax: the lexer, the AST and the parser. So far the parser reads series selectors, which the Prometheus
 * HTTP API's {@code match[]} and the metrics milestone's plain-selector queries need; the PromQL milestone extends it
 * to the whole language.
 */
package io.sightline.promql.parser;
