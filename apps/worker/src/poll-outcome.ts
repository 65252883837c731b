import type { PollFailureReason } from '@tunnelwatch/model';

/** What one poll attempt came to. A router's own failure is an outcome, not an exception. */
export type PollOutcome =
  | {
      ok: true;
      routerId: string;
      routerName: string;
      pollId: string;
      tunnelCount: number;
      warningCount: number;
      durationMs: number;
      bytesRead: number;
    }
  | {
      ok: false;
      routerId: string;
      routerName: string | null;
      /** `cancelled`: the worker stopped it (shutdown); `missing`: the router was deleted or disabled. */
      reason: PollFailureReason | 'cancelled' | 'missing';
      message: string;
      /** Whether BullMQ should try again with backoff. */
      retry: boolean;
      pollId: string | null;
    };
