import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** The repository root (this file is deploy/test/support/repo-files.ts). */
export const repoRoot = resolve(import.meta.dirname, '../../..');
export const deployDir = join(repoRoot, 'deploy');

export function readRepoFile(path: string): Promise<string> {
  return readFile(join(repoRoot, path), 'utf8');
}

/** Files of a repository folder whose names end with `suffix`, sorted, as repository-relative paths. */
export async function listRepoFiles(dir: string, suffix: string): Promise<string[]> {
  const names = await readdir(join(repoRoot, dir));
  return names
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((name) => `${dir}/${name}`);
}
