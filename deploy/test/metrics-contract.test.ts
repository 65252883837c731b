import { describe, expect, it } from 'vitest';
import { loadMetricsContract } from './support/metrics-contract.js';
import { listRepoFiles, readRepoFile } from './support/repo-files.js';
import { createSyntheticFleet, renderExposition } from './support/synthetic-fleet.js';

// The dashboards and alert rules are tested against a synthetic exposition; these checks tie both to the metrics
// contract of docs/design.md §6, so that neither can drift from what the API serves.
const contract = await loadMetricsContract();
const byName = new Map(contract.map((metric) => [metric.name, metric]));

describe('metrics contract (docs/design.md §6)', () => {
  it('is the table the deploy files were written against', () => {
    expect(contract.length).toBe(20);
    expect(byName.get('tunnelwatch_ipsec_errors_total')?.labels).toEqual([
      'router',
      'peer',
      'vrf',
      'local_ident',
      'remote_ident',
      'direction',
    ]);
  });

  it('the synthetic exposition serves every contract metric with exactly its type and labels', () => {
    const now = Date.now() / 1000;
    const text = renderExposition(createSyntheticFleet(), now - 60, now);
    const seen = new Set<string>();
    for (const line of text.split('\n')) {
      const type = /^# TYPE (\S+) (\S+)$/.exec(line);
      if (type) {
        expect(byName.get(type[1] ?? '')?.type, `type of ${type[1]}`).toBe(type[2]);
        continue;
      }
      if (line === '' || line.startsWith('#')) continue;
      const sample = /^(\w+)\{(.*)\} \S+$/.exec(line);
      expect(sample, `a sample line: ${line}`).not.toBeNull();
      const name = sample?.[1] ?? '';
      const labels = [...(sample?.[2] ?? '').matchAll(/(\w+)="/g)].map((match) => match[1]);
      expect(labels.sort(), `labels of ${name}`).toEqual(
        [...(byName.get(name)?.labels ?? ['not in §6'])].sort(),
      );
      seen.add(name);
    }
    expect([...seen].sort()).toEqual(contract.map((metric) => metric.name).sort());
  });

  it('dashboards and alert rules use only contract metrics (and the API process’s own tunnelwatch_api_*)', async () => {
    const files = [
      ...(await listRepoFiles('deploy/grafana/dashboards', '.json')),
      ...(await listRepoFiles('deploy/prometheus/rules', '.rules.yml')),
    ];
    let used = 0;
    for (const file of files) {
      const text = await readRepoFile(file);
      // tunnelwatch_alerts is the opt-out label prometheus.yml adds, not a metric.
      const names = [...text.matchAll(/\btunnelwatch_[a-z_]+/g)]
        .map((match) => match[0])
        .filter((name) => name !== 'tunnelwatch_alerts' && !name.startsWith('tunnelwatch_api_'));
      for (const name of names) expect(byName.has(name), `${file} uses ${name}`).toBe(true);
      used += names.length;
    }
    expect(used).toBeGreaterThan(50);
  });
});
