import { readRepoFile } from './repo-files.js';

export interface ContractMetric {
  name: string;
  /** gauge or counter ("gauge (1)" in the table is a gauge) */
  type: string;
  labels: string[];
}

/**
 * The metrics table of docs/design.md §6 (the public contract), parsed. "same" in the labels column repeats the
 * row above, as the table uses it.
 */
export async function loadMetricsContract(): Promise<ContractMetric[]> {
  const design = await readRepoFile('docs/design.md');
  const metrics: ContractMetric[] = [];
  for (const line of design.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const [, name, type, labels] = cells;
    if (name === undefined || !/^tunnelwatch_\w+$/.test(name) || type === undefined || labels === undefined)
      continue;
    const previous = metrics.at(-1);
    metrics.push({
      name,
      type: type.split(' ')[0] ?? type,
      labels:
        labels === 'same' && previous ? previous.labels : labels.split(',').map((label) => label.trim()),
    });
  }
  if (metrics.length === 0) throw new Error('no metrics table found in docs/design.md');
  return metrics;
}
