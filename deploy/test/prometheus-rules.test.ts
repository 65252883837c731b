import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { deployDir, listRepoFiles, readRepoFile, repoRoot } from './support/repo-files.js';
import { runTool } from './support/run-tool.js';

/** Runs a tool and fails the test with its whole output unless it exits 0. */
async function expectToolSucceeds(command: string, args: string[], cwd = repoRoot): Promise<string> {
  const { code, output } = await runTool(command, args, cwd);
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}:\n${output}`);
  return output;
}

interface RuleFile {
  groups: { rules: { alert?: string; annotations?: Record<string, string> }[] }[];
}
interface RuleTestFile {
  tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
}

describe('Prometheus alert rules', () => {
  it('pass promtool check rules', async () => {
    const files = await listRepoFiles('deploy/prometheus/rules', '.rules.yml');
    expect(files.length).toBeGreaterThan(0);
    const output = await expectToolSucceeds('promtool', ['check', 'rules', ...files]);
    expect(output).toContain('SUCCESS');
  });

  it('pass their promtool unit tests', async () => {
    const files = await listRepoFiles('deploy/prometheus/tests', '.test.yml');
    expect(files.length).toBeGreaterThan(0);
    const output = await expectToolSucceeds('promtool', ['test', 'rules', ...files]);
    expect(output).toContain('SUCCESS');
  });

  it('each have a firing and a not-firing unit test, a severity and a runbook', async () => {
    const rules = parse(await readRepoFile('deploy/prometheus/rules/tunnelwatch.rules.yml')) as RuleFile;
    const alerts = rules.groups.flatMap((group) => group.rules).filter((rule) => rule.alert !== undefined);
    expect(alerts.length).toBeGreaterThanOrEqual(7);

    const firing = new Set<string>();
    const silent = new Set<string>();
    for (const path of await listRepoFiles('deploy/prometheus/tests', '.test.yml')) {
      const tests = parse(await readRepoFile(path)) as RuleTestFile;
      for (const check of tests.tests.flatMap((test) => test.alert_rule_test ?? [])) {
        (check.exp_alerts.length > 0 ? firing : silent).add(check.alertname);
      }
    }
    for (const rule of alerts) {
      const name = rule.alert ?? '';
      expect(firing, `${name} has a test where it fires`).toContain(name);
      expect(silent, `${name} has a test where it does not fire`).toContain(name);
      expect(rule.annotations?.summary, `${name} summary`).toBeTruthy();
      // The runbook text ends with the anchor of its section in docs/operations.md.
      expect(rule.annotations?.runbook, `${name} runbook`).toContain(
        `docs/operations.md#${name.toLowerCase()}`,
      );
    }
  });

  it('fail promtool unit tests when a rule is broken (the tests can fail)', async () => {
    // Copy rules and tests to a temp folder, loosen TunnelDown's `for`, and expect promtool to notice.
    const dir = await mkdtemp(join(tmpdir(), 'tw-rules-'));
    try {
      const rules = await readRepoFile('deploy/prometheus/rules/tunnelwatch.rules.yml');
      const broken = rules.replace(/(alert: TunnelwatchTunnelDown[\s\S]*?)for: 5m/, '$1for: 1m');
      expect(broken).not.toBe(rules);
      await writeFile(join(dir, 'tunnelwatch.rules.yml'), broken);
      const tests = (await readRepoFile('deploy/prometheus/tests/tunnelwatch.rules.test.yml')).replace(
        '../rules/tunnelwatch.rules.yml',
        'tunnelwatch.rules.yml',
      );
      await writeFile(join(dir, 'rules.test.yml'), tests);
      const { code, output } = await runTool('promtool', ['test', 'rules', 'rules.test.yml'], dir);
      expect(code).not.toBe(0);
      expect(output).toContain('TunnelwatchTunnelDown');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('Prometheus and Alertmanager configuration', () => {
  it('prometheus.yml is valid (syntax; files are checked by the running-Prometheus test)', async () => {
    const output = await expectToolSucceeds(
      'promtool',
      ['check', 'config', '--syntax-only', 'prometheus.yml'],
      join(deployDir, 'prometheus'),
    );
    expect(output).toContain('SUCCESS');
  });

  it('alertmanager.yml passes amtool check-config', async () => {
    const output = await expectToolSucceeds('amtool', [
      'check-config',
      'deploy/alertmanager/alertmanager.yml',
    ]);
    expect(output).toContain('SUCCESS');
  });
});
