import Type from 'typebox';
import { DateTime, Name, Nullable, NullableDateTime, PageQuery, Text } from './common.js';

export const Platform = Type.Union([Type.Literal('ios'), Type.Literal('iosxe'), Type.Literal('asa')]);

export const RouterSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  host: Type.String(),
  port: Type.Integer(),
  platform: Platform,
  site: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
  pollIntervalSeconds: Nullable(Type.Integer()),
  enabled: Type.Boolean(),
  credentialName: Nullable(Type.String()),
  hostKey: Nullable(Type.String({ description: 'pinned SSH host key (algorithm base64)' })),
  pendingHostKey: Nullable(Type.String({ description: 'a changed host key waiting for host-key/accept' })),
  createdAt: DateTime,
  updatedAt: DateTime,
  lastPollAt: NullableDateTime,
  lastPollOk: Nullable(Type.Boolean()),
  lastSuccessAt: NullableDateTime,
  lastPollDurationMs: Nullable(Type.Integer()),
});

const fields = {
  host: Type.String({
    minLength: 1,
    maxLength: 253,
    pattern: '^[A-Za-z0-9][A-Za-z0-9.:%-]*$',
    description: 'IP address or DNS name',
  }),
  port: Type.Integer({ minimum: 1, maximum: 65535 }),
  platform: Platform,
  site: Nullable(Text({ maxLength: 200 })),
  tags: Type.Array(Text({ maxLength: 100 }), { maxItems: 50 }),
  pollIntervalSeconds: Nullable(Type.Integer({ minimum: 10, maximum: 86400 })),
  enabled: Type.Boolean(),
  credentialName: Nullable(Name),
};

export const CreateRouterSchema = Type.Object(
  {
    name: Name,
    host: fields.host,
    platform: fields.platform,
    port: Type.Optional(fields.port),
    site: Type.Optional(fields.site),
    tags: Type.Optional(fields.tags),
    pollIntervalSeconds: Type.Optional(fields.pollIntervalSeconds),
    enabled: Type.Optional(fields.enabled),
    credentialName: Type.Optional(fields.credentialName),
  },
  { additionalProperties: false },
);

export const UpdateRouterSchema = Type.Object(
  {
    name: Type.Optional(Name),
    host: Type.Optional(fields.host),
    platform: Type.Optional(fields.platform),
    port: Type.Optional(fields.port),
    site: Type.Optional(fields.site),
    tags: Type.Optional(fields.tags),
    pollIntervalSeconds: Type.Optional(fields.pollIntervalSeconds),
    enabled: Type.Optional(fields.enabled),
    credentialName: Type.Optional(fields.credentialName),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const RouterListQuery = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    site: Type.Optional(Text({ maxLength: 200 })),
    tag: Type.Optional(Text({ maxLength: 100 })),
    platform: Type.Optional(Platform),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const RawOutputSchema = Type.Object({
  command: Type.String(),
  output: Type.String(),
  polledAt: DateTime,
  pollId: Type.String(),
});

const Count = Type.Object({ created: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer() });
export const ImportSummarySchema = Type.Object({
  routers: Count,
  credentials: Count,
  problems: Type.Array(
    Type.Object({
      line: Type.Integer(),
      name: Nullable(Type.String()),
      field: Nullable(Type.String()),
      message: Type.String(),
    }),
  ),
});
