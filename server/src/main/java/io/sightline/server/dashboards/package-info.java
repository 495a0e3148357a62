/**
 * Dashboards for the web UI in Grafana's dashboard JSON model: the built-in ones from the class path, the ones
 * provisioned from {@code ui.dashboards.path}, and the ones imported through the UI under
 * {@code <data_dir>/dashboards/}. The server only stores and serves the JSON; the browser runs the queries.
 */
package io.sightline.server.dashboards;
