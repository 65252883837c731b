import Type from 'typebox';
import { DateTime, Nullable, NullableDateTime, PageQuery, Text } from './common.js';

export const TunnelState = Type.Union([
  Type.Literal('up'),
  Type.Literal('down'),
  Type.Literal('negotiating'),
]);
const IkeVersion = Type.Union([Type.Literal('ikev1'), Type.Literal('ikev2')]);

export const TunnelSchema = Type.Object({
  id: Type.String(),
  routerId: Type.String(),
  routerName: Type.String(),
  peer: Type.String(),
  fvrf: Type.String({ description: "front-door VRF; '' is the global table" }),
  state: TunnelState,
  configured: Type.Boolean(),
  interface: Nullable(Type.String()),
  localAddress: Nullable(Type.String()),
  cryptoMap: Nullable(Type.String()),
  cryptoMapSequence: Nullable(Type.Integer()),
  ikeVersion: Nullable(IkeVersion),
  ikeState: Nullable(Type.String()),
  ikeEstablished: Nullable(Type.Boolean()),
  ikeExpiresAt: NullableDateTime,
  transform: Nullable(Type.String()),
  mode: Nullable(Type.String()),
  pfs: Nullable(Type.String()),
  saExpiresAt: NullableDateTime,
  firstSeenAt: DateTime,
  lastSeenAt: DateTime,
  lastChangeAt: DateTime,
});

const Counters = Type.Object({
  encaps: Type.Number(),
  encrypt: Type.Number(),
  digest: Type.Number(),
  decaps: Type.Number(),
  decrypt: Type.Number(),
  verify: Type.Number(),
  sendErrors: Type.Number(),
  recvErrors: Type.Number(),
});
const FlowDirection = Type.Object({
  saCount: Type.Integer(),
  spi: Nullable(Type.Number()),
  expiresAt: NullableDateTime,
  remainingKilobytes: Nullable(Type.Number()),
});
const Sa = Type.Object({
  direction: Type.String(),
  protocol: Type.String(),
  spi: Type.Number(),
  transforms: Type.Array(Type.String()),
  mode: Nullable(Type.String()),
  remainingSeconds: Nullable(Type.Number()),
  remainingKilobytes: Nullable(Type.Number()),
  expiresAt: NullableDateTime,
  status: Nullable(Type.String()),
});

export const EventKind = Type.Union([
  Type.Literal('tunnel_discovered'),
  Type.Literal('state_changed'),
  Type.Literal('rekeyed'),
  Type.Literal('configured_peer_vanished'),
  Type.Literal('tunnel_forgotten'),
  Type.Literal('host_key_changed'),
  Type.Literal('remediation'),
]);

export const EventSchema = Type.Object({
  id: Type.String(),
  at: DateTime,
  routerId: Type.String(),
  routerName: Type.String(),
  tunnelId: Nullable(Type.String()),
  kind: EventKind,
  peer: Nullable(Type.String()),
  fvrf: Nullable(Type.String()),
  detail: Type.Record(Type.String(), Type.Unknown()),
});

export const TunnelDetailSchema = Type.Object({
  ...TunnelSchema.properties,
  flows: Type.Array(
    Type.Object({
      id: Type.String(),
      key: Type.String(),
      localIdent: Type.String(),
      remoteIdent: Type.String(),
      counters: Counters,
      inbound: FlowDirection,
      outbound: FlowDirection,
      pfs: Nullable(Type.Boolean()),
      dhGroup: Nullable(Type.String()),
      updatedAt: DateTime,
      sas: Type.Array(Sa),
    }),
  ),
  recentEvents: Type.Array(EventSchema),
});

const Filter = Text({ maxLength: 200 });

export const TunnelListQuery = Type.Object(
  {
    router: Type.Optional(Filter),
    state: Type.Optional(TunnelState),
    peer: Type.Optional(Filter),
    vrf: Type.Optional(
      Text({ minLength: 0, maxLength: 200, description: "front-door VRF; '' (vrf=) is the global table" }),
    ),
    configured: Type.Optional(Type.Boolean()),
    expiringWithin: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 31_536_000,
        description: 'newest SA of some flow expires within N s',
      }),
    ),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const EventListQuery = Type.Object(
  {
    router: Type.Optional(Filter),
    tunnel: Type.Optional(Type.String({ format: 'uuid' })),
    kind: Type.Optional(EventKind),
    peer: Type.Optional(Filter),
    since: Type.Optional(Type.String({ format: 'date-time' })),
    until: Type.Optional(Type.String({ format: 'date-time' })),
    ...PageQuery,
  },
  { additionalProperties: false },
);

const FailureReason = Type.Union([
  Type.Literal('timeout'),
  Type.Literal('unreachable'),
  Type.Literal('auth'),
  Type.Literal('host_key'),
  Type.Literal('prompt'),
  Type.Literal('parse'),
  Type.Literal('internal'),
]);

export const PollSchema = Type.Object({
  id: Type.String(),
  routerId: Type.String(),
  routerName: Type.String(),
  startedAt: DateTime,
  finishedAt: DateTime,
  status: Type.Union([Type.Literal('ok'), Type.Literal('failed')]),
  failureReason: Nullable(FailureReason),
  failureDetail: Nullable(Type.String()),
  durationMs: Type.Integer(),
  bytesRead: Type.Number(),
  warnings: Type.Record(Type.String(), Type.Number()),
  tunnelCount: Nullable(Type.Integer()),
});

export const PollListQuery = Type.Object(
  {
    router: Type.Optional(Filter),
    status: Type.Optional(Type.Union([Type.Literal('ok'), Type.Literal('failed')])),
    reason: Type.Optional(FailureReason),
    since: Type.Optional(Type.String({ format: 'date-time' })),
    until: Type.Optional(Type.String({ format: 'date-time' })),
    ...PageQuery,
  },
  { additionalProperties: false },
);
