import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deployDir, readRepoFile, repoRoot } from './support/repo-files.js';

// Alert runbooks, configuration comments and dashboards point operators at sections of docs/operations.md:
// each of those links must land on a heading.

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return (
    entries
      .filter((entry) => entry.isFile() && /\.(ya?ml|json|ts)$/.test(entry.name))
      .map((entry) => relative(repoRoot, join(entry.parentPath, entry.name)))
      // Not this file: its own comments and patterns mention the link syntax.
      .filter((path) => !path.includes('node_modules') && !path.endsWith('docs-links.test.ts'))
  );
}

describe('links to docs/operations.md', () => {
  it('every docs/operations.md#anchor in deploy/, docker-compose.yml and the Dockerfile names a heading', async () => {
    const docs = await readRepoFile('docs/operations.md');
    const anchors = new Set([...docs.matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchorOf(match[1] ?? '')));
    // The docs' own links to themselves, e.g. (#opting-a-tunnel-out), must work too.
    const links: { file: string; anchor: string }[] = [...docs.matchAll(/\]\(#([\w-]+)\)/g)].map((match) => ({
      file: 'docs/operations.md',
      anchor: match[1] ?? '',
    }));
    const files = [...(await filesUnder(deployDir)), 'docker-compose.yml', 'Dockerfile'];
    for (const file of files) {
      const text = await readRepoFile(file);
      for (const match of text.matchAll(/docs\/operations\.md#([\w-]+)/g))
        links.push({ file, anchor: match[1] ?? '' });
    }
    expect(links.length).toBeGreaterThan(10);
    for (const { file, anchor } of links) expect(anchors, `${file} links to #${anchor}`).toContain(anchor);
  });
});
