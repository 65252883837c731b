import {
  CredentialSecretsRepository,
  CredentialsRepository,
  type Db,
  type RouterInput,
  RoutersRepository,
  type RouterView,
} from '@tunnelwatch/db';
import type { Inventory, InventoryCredential, InventoryProblem, InventoryRouter } from './inventory-file.js';

export type ImportSummary = {
  routers: { created: number; updated: number; unchanged: number };
  credentials: { created: number; updated: number; unchanged: number };
  /** The file's problems plus rows the database refused (e.g. an unknown credential), by line. */
  problems: InventoryProblem[];
};

/**
 * Writes a parsed inventory to Postgres, idempotently by name: a router or credential that exists is updated
 * only where it differs, so importing the same file twice changes nothing. A row the database refuses is
 * reported with its line; the other rows still import. Routers absent from the file are left alone.
 */
export async function importInventory(
  db: Db,
  secretKey: Buffer | null,
  inventory: Inventory,
): Promise<ImportSummary> {
  const summary: ImportSummary = {
    routers: { created: 0, updated: 0, unchanged: 0 },
    credentials: { created: 0, updated: 0, unchanged: 0 },
    problems: [...inventory.problems],
  };
  const credentials = new CredentialsRepository(db, secretKey);
  const secrets = new CredentialSecretsRepository(db, secretKey);
  const refused = new Set<string>();
  for (const credential of inventory.credentials) {
    try {
      summary.credentials[await upsertCredential(credentials, secrets, credential)]++;
    } catch (err) {
      refused.add(credential.name);
      summary.problems.push({
        line: credential.line,
        name: credential.name,
        field: null,
        message: (err as Error).message,
      });
    }
  }
  const routers = new RoutersRepository(db);
  for (const router of inventory.routers) {
    if (router.credential !== null && refused.has(router.credential)) {
      summary.problems.push({
        line: router.line,
        name: router.name,
        field: 'credential',
        message: `credential ${router.credential} could not be imported`,
      });
      continue;
    }
    try {
      summary.routers[await upsertRouter(routers, router)]++;
    } catch (err) {
      summary.problems.push({
        line: router.line,
        name: router.name,
        field: null,
        message: (err as Error).message,
      });
    }
  }
  summary.problems.sort((a, b) => a.line - b.line);
  return summary;
}

type Change = 'created' | 'updated' | 'unchanged';

async function upsertCredential(
  credentials: CredentialsRepository,
  secrets: CredentialSecretsRepository,
  row: InventoryCredential,
): Promise<Change> {
  const input = {
    name: row.name,
    username: row.username,
    secret: row.password,
    enableSecret: row.enableSecret,
    privateKey: row.privateKey,
  };
  const existing = await credentials.getByName(row.name);
  if (!existing) {
    await credentials.create(input);
    return 'created';
  }
  // Secrets are stored with a fresh IV each time: compare the plaintext so a re-import writes nothing.
  const stored = await secrets.get(existing.id);
  if (
    stored.username === input.username &&
    stored.secret === input.secret &&
    stored.enableSecret === input.enableSecret &&
    stored.privateKey === input.privateKey
  ) {
    return 'unchanged';
  }
  await credentials.update(row.name, input);
  return 'updated';
}

async function upsertRouter(routers: RoutersRepository, row: InventoryRouter): Promise<Change> {
  const input: RouterInput = {
    name: row.name,
    host: row.host,
    port: row.port,
    platform: row.platform,
    site: row.site,
    tags: row.tags,
    pollIntervalSeconds: row.pollIntervalSeconds,
    enabled: row.enabled,
    credentialName: row.credential,
  };
  const existing = await routers.getByName(row.name);
  if (!existing) {
    await routers.create(input);
    return 'created';
  }
  if (sameRouter(existing, input)) return 'unchanged';
  await routers.update(row.name, input);
  return 'updated';
}

function sameRouter(view: RouterView, input: RouterInput): boolean {
  return (
    view.host === input.host &&
    view.port === input.port &&
    view.platform === input.platform &&
    view.site === input.site &&
    view.tags.join('\u0000') === (input.tags ?? []).join('\u0000') &&
    view.pollIntervalSeconds === input.pollIntervalSeconds &&
    view.enabled === input.enabled &&
    view.credentialName === input.credentialName
  );
}
