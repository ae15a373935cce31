/**
 * Reports of a {@link io.ringcache.loadtest.run.RunResult}: {@link
 * io.ringcache.loadtest.report.HtmlReport}, one self-contained HTML page with SVG charts for
 * people, and {@link io.ringcache.loadtest.report.JsonSummary}, the same result as JSON for
 * machines.
 */
package io.ringcache.loadtest.report;
