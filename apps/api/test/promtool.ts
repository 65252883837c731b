import { spawnSync } from 'node:child_process';

/**
 * Lint findings that come from metric names DESIGN.md §6 fixes as a public contract (dashboards and alerts
 * use them) or from prom-client's defaults, so they are expected: everything else promtool says is a failure.
 */
export const CONTRACT_LINT_FINDINGS = [
  'tunnelwatch_ipsec_sa_count non-histogram and non-summary metrics should not have "_count" suffix',
  'tunnelwatch_ipsec_sa_remaining_kilobytes use base unit "bytes" instead of "kilobytes"',
  // prom-client's own default Node.js metrics (gauges named *_total upstream), on a plain /metrics only.
  'nodejs_active_handles_total non-counter metrics should not have "_total" suffix',
  'nodejs_active_requests_total non-counter metrics should not have "_total" suffix',
  'nodejs_active_resources_total non-counter metrics should not have "_total" suffix',
];

/**
 * Runs the real Prometheus parser and linter (`promtool check metrics`) on an exposition. `parseError` is set when
 * the text does not parse at all; `findings` are lint lines, minus the expected contract ones.
 */
export function promtoolCheck(exposition: string | Buffer): {
  parseError: string | null;
  findings: string[];
} {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  if (result.error) throw result.error;
  const lines = `${result.stdout}${result.stderr}`
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const parseError = lines.find((l) => l.startsWith('error while linting')) ?? null;
  return {
    parseError,
    findings: lines.filter((l) => l !== parseError && !CONTRACT_LINT_FINDINGS.includes(l)),
  };
}

/** Sample lines as `name{labels}` → value, for exact assertions. */
export function samples(exposition: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of exposition.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return out;
}
