import Type from 'typebox';
import { DateTime, Name, Nullable, NullableDateTime, Text } from './common.js';

/** Remediation actions (docs/remediation.md). */

const Reason = Text({ maxLength: 500, description: 'why (kept in the audit log)' });

export const ClearSaBody = Type.Object({ reason: Type.Optional(Reason) }, { additionalProperties: false });

export const ClearIsakmpBody = Type.Object(
  {
    confirm: Type.String({
      maxLength: 200,
      description: 'the router name, exactly: clear crypto isakmp drops every tunnel of the router',
    }),
    reason: Type.Optional(Reason),
  },
  { additionalProperties: false },
);

export const ActionSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: Type.Union([Type.Literal('clear_crypto_sa'), Type.Literal('clear_crypto_isakmp')]),
  status: Type.Union(
    [Type.Literal('queued'), Type.Literal('sent'), Type.Literal('succeeded'), Type.Literal('failed')],
    { description: 'queued → sent (the command went out) → succeeded or failed' },
  ),
  router: Name,
  tunnelId: Nullable(Type.String({ format: 'uuid' })),
  peer: Nullable(Type.String()),
  fvrf: Nullable(Type.String()),
  command: Type.String({ description: 'the exact command line sent to the router' }),
  requestedBy: Type.String({ description: 'token name' }),
  reason: Nullable(Type.String()),
  requestedAt: DateTime,
  sentAt: NullableDateTime,
  finishedAt: NullableDateTime,
  output: Nullable(Type.String({ description: "the router's answer" })),
  error: Nullable(Type.String()),
  pollId: Nullable(Type.String({ description: 'the poll run right after the action' })),
  pollOk: Nullable(Type.Boolean()),
});

export const RemediationSettingsSchema = Type.Object({
  enabled: Type.Boolean({ description: 'REMEDIATION_ENABLED' }),
  canOperate: Type.Boolean({ description: 'whether this token has the operate scope' }),
});
