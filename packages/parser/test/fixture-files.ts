import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('./fixtures/', import.meta.url));

export type Fixture = { command: string; name: string; text: string; expected: unknown };

/** Every `fixtures/<command>/<name>.txt` with its `<name>.json`; the directory name is the command. */
export function loadFixtures(): Fixture[] {
  const fixtures: Fixture[] = [];
  for (const dir of readdirSync(root).sort()) {
    const command = dir.replaceAll('-', ' ');
    for (const file of readdirSync(`${root}${dir}`).sort()) {
      if (!file.endsWith('.txt')) continue;
      const name = file.slice(0, -4);
      fixtures.push({
        command,
        name,
        text: readFileSync(`${root}${dir}/${file}`, 'utf8'),
        expected: JSON.parse(readFileSync(`${root}${dir}/${name}.json`, 'utf8')),
      });
    }
  }
  return fixtures;
}
