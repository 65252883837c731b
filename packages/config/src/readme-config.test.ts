import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EnvSchema } from './env.js';

// The README's configuration table must list every variable the schema reads (and nothing the schema lacks).
describe('README configuration table', () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const table = [...readme.matchAll(/^\| `([A-Z_]+)` *\|/gm)].map((m) => m[1]);

  it('lists every environment variable of the schema, in order', () => {
    expect(table).toEqual(Object.keys(EnvSchema.properties));
  });
});
