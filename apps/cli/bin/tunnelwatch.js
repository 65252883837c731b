#!/usr/bin/env node
// Thin launcher: the CLI is compiled TypeScript in ../dist. A fresh clone has no dist until `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
if (!existsSync(main)) {
  process.stderr.write('tunnelwatch is not built yet: run `npm run build` in the repository first.\n');
  process.exit(1);
}
await import(main);
