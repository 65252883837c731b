/** One sample line of a Prometheus text exposition. */
export type Sample = { name: string; labels: Record<string, string>; value: number };

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/gy;

/** Parses the sample lines (comments skipped); throws on a line that is not a sample, naming it. */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (match === null) throw new Error(`not a sample line: ${line}`);
    const [, name = '', labelText = '', value = ''] = match;
    samples.push({ name, labels: parseLabels(labelText, line), value: Number(value) });
  }
  return samples;
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  let position = 0;
  while (position < text.length) {
    LABEL.lastIndex = position;
    const match = LABEL.exec(text);
    if (match === null) throw new Error(`bad labels in: ${line}`);
    const [whole, name = '', raw = ''] = match;
    labels[name] = raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    position += whole.length;
    if (text[position] === ',') position++;
  }
  return labels;
}

/** The samples named `name` whose labels include every pair of `labels`. */
export function select(samples: Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return samples.filter(
    (sample) =>
      sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
}

/** The value of the one sample that matches; throws (listing what there is) when there is none or several. */
export function sampleValue(samples: Sample[], name: string, labels: Record<string, string>): number {
  const found = select(samples, name, labels);
  if (found.length !== 1) {
    const near = select(samples, name, { router: labels.router ?? '' }).map((s) => JSON.stringify(s.labels));
    throw new Error(
      `${found.length} samples of ${name}${JSON.stringify(labels)}; ${name} of that router: ${near.join(' ') || 'none'}`,
    );
  }
  return found[0]!.value;
}
