import type { RouterPolledMessage } from '@tunnelwatch/model';
import type { Platform } from './platform-commands.js';

/** A router as one poll needs it. */
export type PollTarget = {
  id: string;
  name: string;
  host: string;
  port: number;
  platform: Platform;
  /** Pinned `SHA256:…` fingerprint; null until first contact. */
  hostKey: string | null;
  credentialId: string | null;
  /** False: the router was disabled after its job was made; the poll does nothing. */
  enabled: boolean;
};

/** Decrypted login secrets: held in memory for one poll only, never logged, never put in a job. */
export type LoginSecrets = {
  username: string;
  password: string | null;
  enableSecret: string | null;
  privateKey: string | null;
};

/** What the poll reads from and writes to Postgres (implemented over packages/db in db-poll-store.ts). */
export type PollStore = {
  getRouter(routerId: string): Promise<PollTarget | null>;
  getSecrets(credentialId: string): Promise<LoginSecrets | null>;
  /**
   * Trust on first use: pins the presented key when none is pinned (`pinned`), or records a different one as
   * pending for an operator to accept, with an event (`mismatch`).
   */
  checkHostKey(routerId: string, fingerprint: string): Promise<'pinned' | 'match' | 'mismatch'>;
};

/** Where "router polled" announcements go (Redis pub/sub in production). */
export type PollPublisher = (message: RouterPolledMessage) => Promise<void>;
