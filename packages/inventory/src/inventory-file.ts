import { isIP } from 'node:net';
import { parse as parseCsv } from 'csv-parse/sync';
import { isMap, isSeq, LineCounter, type Node, parseDocument, type YAMLMap } from 'yaml';

/**
 * Router inventory files (docs/polling.md): YAML with `credentials:` and `routers:` lists, or CSV with one router
 * per row and the YAML keys as column names. Parsing never stops at a bad row: every problem is reported with its
 * line and field, and the good rows are returned for import.
 */

export type InventoryPlatform = 'ios' | 'iosxe' | 'asa';

export type InventoryCredential = {
  line: number;
  name: string;
  username: string;
  password: string | null;
  enableSecret: string | null;
  privateKey: string | null;
};

export type InventoryRouter = {
  line: number;
  name: string;
  host: string;
  port: number;
  platform: InventoryPlatform;
  site: string | null;
  tags: string[];
  /** Null: the configured default interval. */
  pollIntervalSeconds: number | null;
  enabled: boolean;
  /** Name of the credential to log in with (a listed one, one already stored, or the router's inline one). */
  credential: string | null;
};

export type InventoryProblem = {
  line: number;
  /** The router or credential the row describes, when its name could be read. */
  name: string | null;
  field: string | null;
  message: string;
};

export type Inventory = {
  credentials: InventoryCredential[];
  routers: InventoryRouter[];
  problems: InventoryProblem[];
};

export type InventoryFormat = 'yaml' | 'csv';

/** `.yaml`/`.yml` or `.csv`, from a file name; null for anything else. */
export function inventoryFormatOf(fileName: string): InventoryFormat | null {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (lower.endsWith('.csv')) return 'csv';
  return null;
}

/** Inline credentials (`username`/`password` on a router row) are stored under this name. */
export function inlineCredentialName(routerName: string): string {
  return `router:${routerName}`;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const PLATFORMS: readonly InventoryPlatform[] = ['ios', 'iosxe', 'asa'];
const ROUTER_FIELDS = new Set([
  'name',
  'host',
  'port',
  'platform',
  'site',
  'tags',
  'pollIntervalSeconds',
  'enabled',
  'credential',
  'username',
  'password',
  'enableSecret',
  'privateKey',
]);
const CREDENTIAL_FIELDS = new Set(['name', 'username', 'password', 'enableSecret', 'privateKey']);

/** A row as read from either format: raw values, and the line of each field (or of the row). */
type RawRow = { line: number; values: Record<string, unknown>; lineOf(field: string): number };

class RowProblems {
  readonly list: InventoryProblem[] = [];
  constructor(
    private readonly row: RawRow,
    private readonly name: string | null,
  ) {}
  add(field: string | null, message: string): void {
    const line = field === null ? this.row.line : this.row.lineOf(field);
    this.list.push({ line, name: this.name, field, message });
  }
}

export function parseInventory(text: string, format: InventoryFormat): Inventory {
  const read = format === 'yaml' ? readYaml(text) : readCsv(text);
  const inventory: Inventory = { credentials: [], routers: [], problems: [...read.problems] };
  const credentialNames = new Set<string>();
  for (const row of read.credentials) {
    const credential = toCredential(row, inventory.problems);
    if (!credential) continue;
    if (credentialNames.has(credential.name)) {
      inventory.problems.push({
        line: row.lineOf('name'),
        name: credential.name,
        field: 'name',
        message: `credential ${credential.name} is listed twice`,
      });
      continue;
    }
    credentialNames.add(credential.name);
    inventory.credentials.push(credential);
  }
  const routerNames = new Set<string>();
  for (const row of read.routers) {
    const parsed = toRouter(row, inventory.problems);
    if (!parsed) continue;
    if (routerNames.has(parsed.router.name)) {
      inventory.problems.push({
        line: row.lineOf('name'),
        name: parsed.router.name,
        field: 'name',
        message: `router ${parsed.router.name} is listed twice`,
      });
      continue;
    }
    routerNames.add(parsed.router.name);
    inventory.routers.push(parsed.router);
    if (parsed.inline) inventory.credentials.push(parsed.inline);
  }
  inventory.problems.sort((a, b) => a.line - b.line);
  return inventory;
}

function toCredential(row: RawRow, problems: InventoryProblem[]): InventoryCredential | null {
  const name = text(row.values.name);
  const p = new RowProblems(row, name);
  for (const key of Object.keys(row.values)) {
    if (!CREDENTIAL_FIELDS.has(key)) p.add(key, `unknown field ${key}`);
  }
  if (name === null || !NAME.test(name)) p.add('name', 'name: letters, digits, ".", "_" and "-" (1-128)');
  const credential = readSecrets(row, p);
  problems.push(...p.list);
  if (p.list.length > 0 || name === null || credential === null) return null;
  return { line: row.line, name, ...credential };
}

function readSecrets(row: RawRow, p: RowProblems): Omit<InventoryCredential, 'line' | 'name'> | null {
  const username = text(row.values.username);
  const password = text(row.values.password);
  const enableSecret = text(row.values.enableSecret);
  const privateKey = text(row.values.privateKey);
  if (username === null) {
    p.add('username', 'username is required');
    return null;
  }
  if (password === null && privateKey === null) {
    p.add('password', 'a password or a privateKey is required');
    return null;
  }
  return { username, password, enableSecret, privateKey };
}

function toRouter(
  row: RawRow,
  problems: InventoryProblem[],
): { router: InventoryRouter; inline: InventoryCredential | null } | null {
  const v = row.values;
  const name = text(v.name);
  const p = new RowProblems(row, name);
  for (const key of Object.keys(v)) {
    if (!ROUTER_FIELDS.has(key)) p.add(key, `unknown field ${key}`);
  }
  if (name === null || !NAME.test(name)) p.add('name', 'name: letters, digits, ".", "_" and "-" (1-128)');
  const host = text(v.host);
  if (host === null || (isIP(host) === 0 && !HOSTNAME.test(host))) {
    p.add('host', 'host: an IPv4/IPv6 address or a DNS name');
  }
  const port = integer(v.port, 22);
  if (port === null || port < 1 || port > 65535) p.add('port', 'port: an integer 1-65535');
  const platform = text(v.platform);
  if (platform === null || !PLATFORMS.includes(platform as InventoryPlatform)) {
    p.add('platform', 'platform: one of ios, iosxe, asa');
  }
  const interval =
    v.pollIntervalSeconds === undefined || v.pollIntervalSeconds === ''
      ? null
      : integer(v.pollIntervalSeconds, null);
  if (
    (v.pollIntervalSeconds !== undefined && v.pollIntervalSeconds !== '' && interval === null) ||
    (interval !== null && (interval < 10 || interval > 86_400))
  ) {
    p.add('pollIntervalSeconds', 'pollIntervalSeconds: an integer 10-86400');
  }
  const enabled = boolean(v.enabled, true);
  if (enabled === null) p.add('enabled', 'enabled: true or false');
  const tags = list(v.tags);
  if (tags === null) p.add('tags', 'tags: a list of words (CSV: separated by ";")');
  const site = text(v.site);
  let credential = text(v.credential);
  let inline: InventoryCredential | null = null;
  const hasInline = ['username', 'password', 'enableSecret', 'privateKey'].some(
    (key) => text(v[key]) !== null,
  );
  if (hasInline) {
    if (credential !== null) p.add('credential', 'give either credential or username/password, not both');
    const secrets = readSecrets(row, p);
    if (secrets && name !== null) {
      credential = inlineCredentialName(name);
      inline = { line: row.line, name: credential, ...secrets };
    }
  }
  problems.push(...p.list);
  if (p.list.length > 0) return null;
  return {
    router: {
      line: row.line,
      name: name as string,
      host: host as string,
      port: port as number,
      platform: platform as InventoryPlatform,
      site,
      tags: tags ?? [],
      pollIntervalSeconds: interval,
      enabled: enabled as boolean,
      credential,
    },
    inline,
  };
}

function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function integer(value: unknown, fallback: number | null): number | null {
  if (value === undefined || value === null || value === '') return fallback;
  const n =
    typeof value === 'number' ? value : /^\s*\d+\s*$/.test(String(value)) ? Number(value) : Number.NaN;
  return Number.isInteger(n) ? n : null;
}

function boolean(value: unknown, fallback: boolean): boolean | null {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value === 'boolean') return value;
  const word = String(value).trim().toLowerCase();
  if (['true', 'yes', '1'].includes(word)) return true;
  if (['false', 'no', '0'].includes(word)) return false;
  return null;
}

function list(value: unknown): string[] | null {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) {
    const words = value.map(text);
    return words.every((w): w is string => w !== null) ? words : null;
  }
  if (typeof value === 'string') {
    return value
      .split(';')
      .map((w) => w.trim())
      .filter((w) => w !== '');
  }
  return null;
}

type ReadRows = { credentials: RawRow[]; routers: RawRow[]; problems: InventoryProblem[] };

function readYaml(source: string): ReadRows {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false });
  const lineAt = (offset: number | undefined) =>
    offset === undefined ? 1 : lineCounter.linePos(offset).line;
  const out: ReadRows = { credentials: [], routers: [], problems: [] };
  for (const error of doc.errors) {
    out.problems.push({
      line: lineAt(error.pos[0]),
      name: null,
      field: null,
      message: `YAML: ${error.message.split('\n')[0]}`,
    });
  }
  if (doc.errors.length > 0) return out;
  const root = doc.contents;
  let routersNode: unknown = root;
  if (isMap(root)) {
    for (const pair of root.items) {
      const key = String((pair.key as { value?: unknown } | null)?.value ?? pair.key);
      if (key !== 'routers' && key !== 'credentials') {
        out.problems.push({
          line: lineAt((pair.key as Node | null)?.range?.[0]),
          name: null,
          field: key,
          message: `unknown top-level key ${key} (expected routers, credentials)`,
        });
      }
    }
    routersNode = root.get('routers', true);
    const credentialsNode = root.get('credentials', true);
    if (credentialsNode !== undefined)
      collectYamlRows(credentialsNode, 'credentials', lineAt, out.credentials, out.problems);
  } else if (root === null) {
    return out;
  }
  if (routersNode === undefined || routersNode === null) return out;
  collectYamlRows(routersNode, 'routers', lineAt, out.routers, out.problems);
  return out;
}

function collectYamlRows(
  node: unknown,
  what: string,
  lineAt: (offset: number | undefined) => number,
  rows: RawRow[],
  problems: InventoryProblem[],
): void {
  if (!isSeq(node)) {
    problems.push({
      line: lineAt((node as Node | null)?.range?.[0]),
      name: null,
      field: what,
      message: `${what} must be a list`,
    });
    return;
  }
  for (const item of node.items) {
    const line = lineAt((item as Node | null)?.range?.[0]);
    if (!isMap(item)) {
      problems.push({
        line,
        name: null,
        field: null,
        message: `each entry of ${what} must be a mapping of fields`,
      });
      continue;
    }
    const map = item as YAMLMap;
    const values = map.toJSON() as Record<string, unknown>;
    rows.push({
      line,
      values,
      lineOf(field) {
        const pair = map.items.find(
          (candidate) => (candidate.key as { value?: unknown } | null)?.value === field,
        );
        return pair ? lineAt((pair.key as Node | null)?.range?.[0]) : line;
      },
    });
  }
}

function readCsv(source: string): ReadRows {
  const out: ReadRows = { credentials: [], routers: [], problems: [] };
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    // Rows stay arrays so that one row with a wrong field count is reported, not fatal to the whole file.
    rows = parseCsv(source, {
      info: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
      comment: '#',
      relax_column_count: true,
    }) as unknown as typeof rows;
  } catch (error) {
    const err = error as Error & { lines?: number };
    out.problems.push({ line: err.lines ?? 1, name: null, field: null, message: `CSV: ${err.message}` });
    return out;
  }
  const [header, ...body] = rows;
  if (!header) return out;
  const columns = header.record;
  for (const { record, info } of body) {
    if (record.length !== columns.length) {
      out.problems.push({
        line: info.lines,
        name: record[columns.indexOf('name')]?.trim() || null,
        field: null,
        message: `row has ${record.length} fields, the header has ${columns.length}`,
      });
      continue;
    }
    const values: Record<string, unknown> = {};
    columns.forEach((column, index) => {
      const value = record[index];
      if (value !== undefined && value !== '') values[column] = value;
    });
    out.routers.push({ line: info.lines, values, lineOf: () => info.lines });
  }
  return out;
}
