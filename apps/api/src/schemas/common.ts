import Type from 'typebox';

/** Every error the API returns. */
export const ErrorSchema = Type.Object({
  error: Type.String({ description: 'HTTP status text, e.g. "Bad Request"' }),
  message: Type.String({ description: 'what was wrong; names the field for validation errors' }),
});

/** Dates leave as ISO 8601 text. */
export const DateTime = Type.Unsafe<Date>({ type: 'string', format: 'date-time' });
export const NullableDateTime = Type.Union([DateTime, Type.Null()]);
export const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * Free text from clients: PostgreSQL text cannot hold NUL, so it is refused here with a 400 naming the field
 * instead of failing in the database.
 */
export const Text = (options: { minLength?: number; maxLength: number; description?: string }) =>
  Type.String({ minLength: 1, ...options, pattern: '^[^\\u0000]*$' });

/** Router and credential names: also Prometheus label values and URL segments. */
export const NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$';
export const Name = Type.String({ pattern: NAME_PATTERN, description: 'letters, digits, . _ - (1-128)' });
export const NameParams = Type.Object({ name: Name });
export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** Keyset paging: pass a page's `nextCursor` back as `cursor` for the next page. */
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  cursor: Type.Optional(
    Type.String({ minLength: 1, maxLength: 500, description: 'nextCursor of the previous page' }),
  ),
};

export const Page = <T extends Type.TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });

/** The error responses of a route that needs a token. */
export const AUTH_ERRORS = { 401: ErrorSchema, 403: ErrorSchema, 429: ErrorSchema } as const;
