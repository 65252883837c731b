import Type from 'typebox';

/** Every error the API returns. */
export const ErrorSchema = Type.Object({
  error: Type.String({ description: 'HTTP status text, e.g. "Bad Request"' }),
  message: Type.String({ description: 'what was wrong; names the field for validation errors' }),
});

/** Opaque cursor for keyset paging: pass `nextCursor` of one page as `cursor` to get the next. */
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
};
