import type { CryptoMapEntrySnapshot, PollFailureReason, TunnelSnapshot } from '@tunnelwatch/model';

/** A tunnel as /metrics needs it: the last saved snapshot plus when its state last changed. */
export type TunnelMetricsState = TunnelSnapshot & { lastChangeAt: Date | null };

/** Everything /metrics shows about one router; built from Postgres, never from a scrape. */
export type RouterMetricsState = {
  id: string;
  name: string;
  lastPoll: { ok: boolean; finishedAt: Date; durationSeconds: number | null } | null;
  lastSuccessAt: Date | null;
  /** Failed polls by reason since the router was added (a counter: only ever grows but for retention). */
  failures: Partial<Record<PollFailureReason, number>>;
  /** Parser warnings per command of the last successful poll. */
  warnings: Record<string, number>;
  tunnels: TunnelMetricsState[];
  cryptoMaps: CryptoMapEntrySnapshot[];
};
