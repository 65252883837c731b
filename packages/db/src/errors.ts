/** The row the caller named does not exist (the API answers 404). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** A unique name is taken, or a row is still referenced (the API answers 409). */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}

/** A paging cursor that this package did not hand out (the API answers 400). */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  constructor() {
    super('invalid cursor: pass back the nextCursor of a previous page unchanged');
  }
}

/** Prisma's "unique constraint failed" and "foreign key constraint failed" as our errors; anything else unchanged. */
export function translatePrismaError(error: unknown, what: string): unknown {
  const code = (error as { code?: unknown })?.code;
  if (code === 'P2002') return new ConflictError(`${what} already exists`);
  if (code === 'P2003') return new ConflictError(`${what} is still in use`);
  if (code === 'P2025') return new NotFoundError(`${what} not found`);
  return error;
}
