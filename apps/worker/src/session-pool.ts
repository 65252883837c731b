import type { CliSession } from '@tunnelwatch/ssh';
import type { PollTarget } from './poll-store.js';

export type SessionPoolOptions = {
  /** A kept session unused this long is closed (below the router's exec-timeout, IOS default 10 min). */
  idleMs: number;
  /** A session older than this is closed after its poll, so login, credential and host key are re-checked. */
  maxAgeMs: number;
};

/** A session taken from the pool (or just opened): when it logged in, so its age can be judged on return. */
export type KeptSession = { session: CliSession; openedAt: number };

type Entry = KeptSession & { key: string; idleSince: number };

/**
 * One open CLI session per router, kept between polls by one worker process. A login is the dearest part of
 * a poll on both ends (key exchange, authentication, AAA accounting, a syslog line on the router); polling every
 * 60 s over a kept session costs one login an hour instead of 1,440 a day. The price is one VTY line per router
 * and worker while kept (`SSH_KEEP_SESSIONS=false` logs in for every poll).
 *
 * A session is handed out only to a poll of the same router with the same address, platform, pinned key and
 * credential, and only while it sits idle at its prompt; anything else closes it and the poll logs in afresh.
 */
export class SessionPool {
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly options: SessionPoolOptions) {
    this.sweeper = setInterval(() => this.sweep(), Math.max(1_000, Math.min(options.idleMs, 30_000)));
    this.sweeper.unref();
  }

  /** The router's kept session if it is still fit for this poll; the pool lets go of it either way. */
  take(router: PollTarget, now = Date.now()): KeptSession | null {
    const entry = this.entries.get(router.id);
    if (!entry) return null;
    this.entries.delete(router.id);
    if (entry.key !== sessionKey(router) || !this.fresh(entry, now) || !entry.session.reusable) {
      entry.session.close();
      return null;
    }
    entry.session.restartSessionTimeout();
    return { session: entry.session, openedAt: entry.openedAt };
  }

  /** Keeps a session after a successful poll, or closes it when it is too old or no longer reusable. */
  keep(router: PollTarget, kept: KeptSession, now = Date.now()): void {
    const entry: Entry = { ...kept, key: sessionKey(router), idleSince: now };
    if (!this.fresh(entry, now) || !kept.session.reusable) {
      kept.session.close();
      return;
    }
    kept.session.pauseSessionTimeout();
    this.entries.get(router.id)?.session.close(); // a concurrent poll of the same router kept one already
    this.entries.set(router.id, entry);
  }

  /** Closes a router's kept session, if any (the router was disabled or deleted). */
  drop(routerId: string): void {
    this.entries.get(routerId)?.session.close();
    this.entries.delete(routerId);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Closes every kept session (worker shutdown). */
  closeAll(): void {
    clearInterval(this.sweeper);
    for (const entry of this.entries.values()) entry.session.close();
    this.entries.clear();
  }

  /** Closes sessions idle too long or dropped by the router while waiting. */
  sweep(now = Date.now()): void {
    for (const [routerId, entry] of this.entries) {
      if (!this.fresh(entry, now) || !entry.session.reusable) {
        entry.session.close();
        this.entries.delete(routerId);
      }
    }
  }

  private fresh(entry: Entry, now: number): boolean {
    return now - entry.idleSince < this.options.idleMs && now - entry.openedAt < this.options.maxAgeMs;
  }
}

/** What a session was opened for: a change to any of these (an edit, an accepted host key) needs a new login. */
function sessionKey(router: PollTarget): string {
  return [router.host, router.port, router.platform, router.hostKey ?? '', router.credentialId ?? ''].join(
    '\0',
  );
}
