import type {
  CryptoMapEntrySnapshot,
  FlowCounters,
  IkeVersion,
  PollFailureReason,
  TunnelState,
} from '@tunnelwatch/model';

/** One direction of a flow: its SA count and the newest SA's lifetime as of the poll (null: not printed). */
export type DirectionMetrics = {
  saCount: number;
  remainingSeconds: number | null;
  remainingKilobytes: number | null;
  expiresAt: Date | null;
};

export type FlowMetrics = {
  key: string;
  localIdent: string;
  remoteIdent: string;
  counters: FlowCounters;
  inbound: DirectionMetrics;
  outbound: DirectionMetrics;
};

export type TunnelMetrics = {
  peer: string;
  fvrf: string;
  interface: string | null;
  cryptoMap: string | null;
  ikeVersion: IkeVersion | null;
  /** null: no IKE SA to the peer. */
  ikeEstablished: boolean | null;
  ikeExpiresAt: Date | null;
  state: TunnelState;
  transform: string | null;
  mode: string | null;
  pfs: string | null;
  lastChangeAt: Date | null;
  flows: FlowMetrics[];
};

/** Everything /metrics shows about one router; built from Postgres, never from a scrape. */
export type RouterMetricsState = {
  id: string;
  name: string;
  lastPoll: { ok: boolean; finishedAt: Date; durationSeconds: number | null } | null;
  lastSuccessAt: Date | null;
  /** Failed polls by reason since the router was added (a counter). */
  failures: Partial<Record<PollFailureReason, number>>;
  /** Parser warnings per command of the last successful poll. */
  warnings: Record<string, number>;
  tunnels: TunnelMetrics[];
  cryptoMaps: CryptoMapEntrySnapshot[];
};
