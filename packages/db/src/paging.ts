import { InvalidCursorError } from './errors.js';

/** One page of a list, newest or first items first; `nextCursor` is null on the last page. */
export type Page<T> = { items: T[]; nextCursor: string | null };

export type PageRequest = { cursor?: string | null; limit?: number };

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
  return Math.min(limit, MAX_PAGE_SIZE);
}

/**
 * Cursors are opaque to clients: base64url JSON of the sort key of the last item returned. Keyset paging, so pages
 * stay stable while rows are added and cost the same at any depth.
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, shape: readonly ('string' | 'number')[]): (string | number)[] {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(key) || key.length !== shape.length || key.some((v, i) => typeof v !== shape[i])) {
    throw new InvalidCursorError();
  }
  return key as (string | number)[];
}

/** Fetch `size + 1` rows, return `size` of them and a cursor when there were more. */
export function toPage<R, T>(
  rows: R[],
  size: number,
  map: (row: R) => T,
  key: (row: R) => (string | number)[],
): Page<T> {
  const more = rows.length > size;
  const kept = more ? rows.slice(0, size) : rows;
  const last = kept[kept.length - 1];
  return { items: kept.map(map), nextCursor: more && last !== undefined ? encodeCursor(key(last)) : null };
}

/** A condition on a row's `at` time and `id`, as Prisma's where inputs of events and the audit log both take it. */
type AtCondition =
  | { at: { gte: Date } }
  | { at: { lt: Date } }
  | { OR: [{ at: { lt: Date } }, { at: Date; id: { lt: string } }] };

/**
 * The time window (`since` inclusive, `until` exclusive) and the cursor position of a list ordered by `at` then
 * `id`, newest first (events, audit log).
 */
export function newestFirstConditions(filter: {
  since?: Date;
  until?: Date;
  cursor?: string | null;
}): AtCondition[] {
  const and: AtCondition[] = [];
  if (filter.since !== undefined) and.push({ at: { gte: filter.since } });
  if (filter.until !== undefined) and.push({ at: { lt: filter.until } });
  if (filter.cursor) {
    const [at, id] = decodeCursor(filter.cursor, ['string', 'string']) as [string, string];
    const when = new Date(at);
    and.push({ OR: [{ at: { lt: when } }, { at: when, id: { lt: id } }] });
  }
  return and;
}
