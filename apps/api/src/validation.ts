import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

const common: Options = { removeAdditional: false, useDefaults: true, allErrors: false, strict: false };

/**
 * Query strings, params and headers arrive as text, so their values are converted (`?limit=5` → 5, `?tag=a`
 * → ['a']). JSON bodies are not: a number where a string belongs is an error, not silently "7".
 */
const compilers = {
  text: addFormats.default(new Ajv({ ...common, coerceTypes: 'array' })),
  body: addFormats.default(new Ajv({ ...common, coerceTypes: false })),
};

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? compilers.body : compilers.text).compile(schema as object);
