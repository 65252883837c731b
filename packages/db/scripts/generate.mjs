// `prisma generate` offline: the Prisma CLI insists on a schema-engine binary it would download from a host we
// cannot reach, although generate never runs it. Pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file
// (node itself) skips the download. See docs/database.md.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};
const result = spawnSync(process.execPath, [prismaCli, 'generate', '--config', 'prisma.config.ts'], {
  cwd: root,
  env,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
