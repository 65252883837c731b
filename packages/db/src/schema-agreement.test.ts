import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './testing.js';

// The migrations are written by hand or generated offline (docs/database.md), so nothing but this test checks that
// prisma/schema.prisma (what the client expects) and the migrated database (what exists) say the same thing.

const SCHEMA = fileURLToPath(new URL('../../../prisma/schema.prisma', import.meta.url));

type Column = { table: string; column: string; type: string; nullable: boolean };
type Index = string; // `table(col1,col2)` with a `unique ` prefix when unique
type ForeignKey = string; // `table(cols) -> table(cols) on delete ACTION`

type ParsedSchema = {
  enums: Map<string, { dbName: string; values: string[] }>;
  columns: Column[];
  indexes: Index[];
  foreignKeys: ForeignKey[];
};

const SCALAR_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Boolean: 'boolean',
  DateTime: 'timestamp with time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
};

/** Just enough of the Prisma schema language for this project's schema: blocks, fields, @map and indexes. */
function parseSchema(text: string): ParsedSchema {
  const blocks = [...text.matchAll(/^(model|enum) (\w+) \{\n([\s\S]*?)^\}/gm)].map((m) => ({
    kind: m[1]!,
    name: m[2]!,
    lines: m[3]!
      .split('\n')
      .map((l) => l.replace(/\/\/.*$/, '').trim())
      .filter((l) => l !== ''),
  }));
  const mapOf = (lines: string[], fallback: string) =>
    lines.map((l) => /^@@map\("(\w+)"\)/.exec(l)?.[1]).find(Boolean) ?? fallback;
  const enums = new Map<string, { dbName: string; values: string[] }>();
  for (const b of blocks.filter((b) => b.kind === 'enum')) {
    enums.set(b.name, { dbName: mapOf(b.lines, b.name), values: b.lines.filter((l) => /^\w+$/.test(l)) });
  }
  const models = blocks.filter((b) => b.kind === 'model');
  const tableOf = new Map(models.map((m) => [m.name, mapOf(m.lines, m.name)]));
  const columns: Column[] = [];
  const indexes: Index[] = [];
  const foreignKeys: ForeignKey[] = [];
  for (const model of models) {
    const table = tableOf.get(model.name)!;
    const columnOf = new Map<string, string>();
    for (const line of model.lines) {
      const field = /^(\w+)\s+(\w+)(\[\]|\?)?(.*)$/.exec(line);
      if (!field || line.startsWith('@@')) continue;
      const [, name, type, modifier, attributes] = field as unknown as [
        string,
        string,
        string,
        string,
        string,
      ];
      const column = /@map\("(\w+)"\)/.exec(attributes)?.[1] ?? name;
      columnOf.set(name, column);
      if (tableOf.has(type)) {
        const relation =
          /@relation\(fields: \[([\w, ]+)\], references: \[([\w, ]+)\](?:, onDelete: (\w+))?/.exec(
            attributes,
          );
        if (relation) {
          const cols = relation[1]!.split(', ');
          foreignKeys.push(
            `${table}(${cols.map((c) => columnOf.get(c) ?? c).join(',')}) -> ${tableOf.get(type)}(${relation[2]}) on delete ${relation[3] ?? 'SetNull'}`,
          );
        }
        continue;
      }
      const base = enums.get(type)?.dbName ?? (/@db\.Uuid/.test(attributes) ? 'uuid' : SCALAR_TYPES[type]);
      if (!base) throw new Error(`unknown type ${type} in ${model.name}.${name}`);
      // Prisma creates scalar lists without NOT NULL.
      columns.push({
        table,
        column,
        type: modifier === '[]' ? `${base}[]` : base,
        nullable: modifier !== undefined,
      });
      if (/@id\b/.test(attributes)) indexes.push(`unique ${table}(${column})`);
      if (/@unique\b/.test(attributes)) indexes.push(`unique ${table}(${column})`);
    }
    // Relation fields reference scalar fields declared later too: resolve foreign-key columns again now.
    for (let i = 0; i < foreignKeys.length; i++) {
      foreignKeys[i] = foreignKeys[i]!.replace(/^(\w+)\(([\w,]+)\)/, (all, t: string, cols: string) =>
        t === table
          ? `${t}(${cols
              .split(',')
              .map((c) => columnOf.get(c) ?? c)
              .join(',')})`
          : all,
      );
    }
    for (const line of model.lines) {
      const index = /^@@(id|unique|index)\(\[([^\]]+)\]/.exec(line);
      if (!index) continue;
      const cols = index[2]!
        .split(/,\s*(?![^(]*\))/)
        .map((c) => columnOf.get(c.replace(/\(.*\)/, '').trim())!);
      indexes.push(`${index[1] === 'index' ? '' : 'unique '}${table}(${cols.join(',')})`);
    }
  }
  return { enums, columns, indexes, foreignKeys };
}

let t: TestDatabase;
let schema: ParsedSchema;
beforeAll(async () => {
  t = await createTestDatabase();
  schema = parseSchema(await readFile(SCHEMA, 'utf8'));
});
afterAll(async () => {
  await t?.drop();
});

describe('prisma/schema.prisma and the migrated database', () => {
  it('have the same tables and columns, with the same types and nullability', async () => {
    const { rows } = await t.db.pool.query<{
      table: string;
      column: string;
      type: string;
      nullable: boolean;
    }>(
      `SELECT c.table_name AS table, c.column_name AS column,
         CASE WHEN c.data_type = 'USER-DEFINED' THEN c.udt_name
              WHEN c.data_type = 'ARRAY' THEN
                CASE ltrim(c.udt_name, '_') WHEN 'text' THEN 'text' ELSE ltrim(c.udt_name, '_') END || '[]'
              ELSE c.data_type END AS type,
         c.is_nullable = 'YES' AS nullable
       FROM information_schema.columns c
       WHERE c.table_schema = 'public' AND c.table_name <> '_prisma_migrations'`,
    );
    const key = (c: Column) => `${c.table}.${c.column}: ${c.type}${c.nullable ? ' null' : ''}`;
    expect(rows.map(key).sort()).toEqual(schema.columns.map(key).sort());
  });

  it('have the same enums and values', async () => {
    const { rows } = await t.db.pool.query<{ name: string; values: string[] }>(
      `SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.name, r.values]))).toEqual(
      Object.fromEntries([...schema.enums.values()].map((e) => [e.dbName, e.values])),
    );
  });

  it('have the same indexes', async () => {
    const { rows } = await t.db.pool.query<{ index: string }>(
      `SELECT CASE WHEN i.indisunique THEN 'unique ' ELSE '' END || c.relname || '(' ||
         (SELECT string_agg(a.attname, ',' ORDER BY k.n)
          FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
          JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum) || ')' AS index
       FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace ns ON ns.oid = c.relnamespace
       WHERE ns.nspname = 'public' AND c.relname <> '_prisma_migrations'`,
    );
    expect(rows.map((r) => r.index).sort()).toEqual([...schema.indexes].sort());
  });

  it('have the same foreign keys with the same delete actions', async () => {
    const action: Record<string, string> = { c: 'Cascade', n: 'SetNull', r: 'Restrict', a: 'NoAction' };
    const { rows } = await t.db.pool.query<{ fk: string }>(
      `SELECT c.conrelid::regclass::text || '(' ||
         (SELECT string_agg(a.attname, ',') FROM unnest(c.conkey) k JOIN pg_attribute a
            ON a.attrelid = c.conrelid AND a.attnum = k) || ') -> ' || c.confrelid::regclass::text || '(' ||
         (SELECT string_agg(a.attname, ',') FROM unnest(c.confkey) k JOIN pg_attribute a
            ON a.attrelid = c.confrelid AND a.attnum = k) || ') ' || c.confdeltype::text AS fk
       FROM pg_constraint c WHERE c.contype = 'f'`,
    );
    const fks = rows.map((r) => {
      const [, head, code] = /^(.*) (\w)$/.exec(r.fk)!;
      return `${head} on delete ${action[code!]}`;
    });
    expect(fks.sort()).toEqual([...schema.foreignKeys].sort());
  });
});
