import { describe, expect, it } from 'vitest';
import { inventoryFormatOf, parseInventory } from './inventory-file.js';

const YAML_INVENTORY = `# a lab
credentials:
  - name: lab
    username: admin
    password: s3cret
    enableSecret: en4ble
routers:
  - name: r1
    host: 127.0.0.2
    port: 2201
    platform: ios
    credential: lab
    site: lab
    tags: [core, emea]
  - name: fw1
    host: fw1.example.net
    platform: asa
    username: ops
    password: pw
    pollIntervalSeconds: 30
    enabled: false
  - name: bad one
    host: 127.0.0.3
    platform: junos
  - name: r1
    host: 127.0.0.4
    platform: ios
    credential: lab
`;

describe('parseInventory (YAML)', () => {
  const inventory = parseInventory(YAML_INVENTORY, 'yaml');

  it('reads the good routers with defaults filled in', () => {
    expect(inventory.routers).toEqual([
      {
        line: 8,
        name: 'r1',
        host: '127.0.0.2',
        port: 2201,
        platform: 'ios',
        site: 'lab',
        tags: ['core', 'emea'],
        pollIntervalSeconds: null,
        enabled: true,
        credential: 'lab',
      },
      {
        line: 15,
        name: 'fw1',
        host: 'fw1.example.net',
        port: 22,
        platform: 'asa',
        site: null,
        tags: [],
        pollIntervalSeconds: 30,
        enabled: false,
        credential: 'router:fw1',
      },
    ]);
  });

  it('turns inline usernames and passwords into a credential of the router', () => {
    expect(inventory.credentials).toEqual([
      {
        line: 3,
        name: 'lab',
        username: 'admin',
        password: 's3cret',
        enableSecret: 'en4ble',
        privateKey: null,
      },
      { line: 15, name: 'router:fw1', username: 'ops', password: 'pw', enableSecret: null, privateKey: null },
    ]);
  });

  it('reports every bad field with its line, and a duplicate name', () => {
    expect(inventory.problems).toEqual([
      { line: 22, name: 'bad one', field: 'name', message: expect.stringContaining('letters, digits') },
      { line: 24, name: 'bad one', field: 'platform', message: 'platform: one of ios, iosxe, asa' },
      { line: 25, name: 'r1', field: 'name', message: 'router r1 is listed twice' },
    ]);
  });

  it('reports a YAML syntax error with its line and imports nothing', () => {
    const broken = parseInventory('routers:\n  - name: r1\n    host: [oops\n', 'yaml');
    expect(broken.routers).toEqual([]);
    expect(broken.problems[0]?.message).toMatch(/^YAML: /);
    expect(broken.problems[0]?.line).toBeGreaterThanOrEqual(3);
  });

  it('refuses a router without a password or key, naming the field', () => {
    const result = parseInventory(
      'routers:\n  - name: r9\n    host: 10.0.0.9\n    platform: ios\n    username: x\n',
      'yaml',
    );
    expect(result.routers).toEqual([]);
    expect(result.problems).toEqual([
      { line: 2, name: 'r9', field: 'password', message: 'a password or a privateKey is required' },
    ]);
  });
});

describe('parseInventory (CSV)', () => {
  const csv = [
    'name,host,port,platform,credential,tags,pollIntervalSeconds',
    'r1,127.0.0.2,2201,iosxe,lab,core;emea,',
    'r2,2001:db8::1,70000,ios,lab,,',
    'r3,127.0.0.5,22,ios,lab',
    'r4,127.0.0.6,,asa,lab,,5',
    'r5,127.0.0.7,,asa,lab,,60',
  ].join('\n');
  const inventory = parseInventory(csv, 'csv');

  it('imports the good rows', () => {
    expect(inventory.routers.map((r) => [r.name, r.line, r.port, r.tags, r.pollIntervalSeconds])).toEqual([
      ['r1', 2, 2201, ['core', 'emea'], null],
      ['r5', 6, 22, [], 60],
    ]);
  });

  it('reports each bad row with its line and field', () => {
    expect(inventory.problems).toEqual([
      { line: 3, name: 'r2', field: 'port', message: 'port: an integer 1-65535' },
      { line: 4, name: 'r3', field: null, message: 'row has 5 fields, the header has 7' },
      {
        line: 5,
        name: 'r4',
        field: 'pollIntervalSeconds',
        message: 'pollIntervalSeconds: an integer 10-86400',
      },
    ]);
  });
});

describe('inventoryFormatOf', () => {
  it('knows YAML and CSV by extension', () => {
    expect(inventoryFormatOf('fleet.YML')).toBe('yaml');
    expect(inventoryFormatOf('a/b/fleet.yaml')).toBe('yaml');
    expect(inventoryFormatOf('fleet.csv')).toBe('csv');
    expect(inventoryFormatOf('fleet.json')).toBeNull();
  });
});
