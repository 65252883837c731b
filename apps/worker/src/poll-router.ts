import type { Logger } from '@tunnelwatch/config';
import type { PollToSave, SavePollOutcome } from '@tunnelwatch/db';
import type { PollFailureReason, PollSnapshot } from '@tunnelwatch/model';
import { type CliSession, openCliSession, SessionError, type SessionTimeouts } from '@tunnelwatch/ssh';
import type { PollRouter } from './job-processor.js';
import type { LoginSemaphore } from './login-semaphore.js';
import { POLL_COMMANDS } from './platform-commands.js';
import type { PollOutcome } from './poll-outcome.js';
import type { LoginSecrets, PollPublisher, PollStore, PollTarget } from './poll-store.js';
import { readPoll } from './read-poll.js';
import { sessionOptionsFor } from './session-options.js';
import type { KeptSession, SessionPool } from './session-pool.js';

export type PollRouterDeps = {
  store: PollStore;
  /** `savePollResult` bound to the database. */
  save: (routerId: string, poll: PollToSave) => Promise<SavePollOutcome>;
  publish: PollPublisher;
  semaphore: LoginSemaphore;
  /** Sessions kept open between polls; without it every poll logs in and out. */
  sessions?: SessionPool;
  /** How long a poll may wait for a login slot before it is retried later. */
  loginWaitMs: number;
  timeouts?: Partial<SessionTimeouts>;
  logger: Logger;
};

/** The poll's outcome plus, when it succeeded, the snapshot it saved (`tunnelwatch poll` prints it). */
export type PollResult = { outcome: PollOutcome; snapshot: PollSnapshot | null };

type Failure = { reason: PollFailureReason; message: string; retry: boolean };

/** `pollRouterOnce` as the queue's processor needs it: the outcome only. */
export function createPollRouter(deps: PollRouterDeps): PollRouter {
  return async (routerId, signal) => (await pollRouterOnce(deps, routerId, signal)).outcome;
}

/**
 * One poll of one router: load it and its credential → SSH session (pinned host key; pinned on first contact)
 * → the platform's commands → parse → normalize → `savePollResult` → publish "router polled". A router's own
 * failure (timeout, unreachable, auth, host key, prompt, parse) is saved with its reason and returned as an
 * outcome; an infrastructure failure (Postgres down, no login slot in time) throws so BullMQ retries the job.
 */
export async function pollRouterOnce(
  deps: PollRouterDeps,
  routerId: string,
  signal: AbortSignal,
): Promise<PollResult> {
  const router = await deps.store.getRouter(routerId);
  if (!router?.enabled) {
    // Deleted or disabled since its job was made (the scheduler goes at the next sync): no login, nothing saved.
    const message = router ? 'router disabled' : 'router deleted';
    deps.sessions?.drop(routerId); // no VTY line stays taken on its behalf
    deps.logger.debug({ routerId, router: router?.name }, `poll skipped: ${message}`);
    return none({
      ok: false,
      routerId,
      routerName: router?.name ?? null,
      reason: 'missing',
      message,
      retry: false,
      pollId: null,
    });
  }
  const fail = (failure: Failure, startedAt: Date, bytesRead = 0, rawOutputs?: Record<string, string>) =>
    saveFailure(deps, router, failure, { startedAt, bytesRead, rawOutputs });
  const cancelled = (): PollResult =>
    none({
      ok: false,
      routerId,
      routerName: router.name,
      reason: 'cancelled',
      message: 'poll cancelled',
      retry: true,
      pollId: null,
    });

  const startedAt = new Date();
  let read: SessionRead;
  const kept = deps.sessions?.take(router) ?? null;
  const reused = kept ? await readOver(kept, router.platform, signal) : null;
  if (reused && 'outputs' in reused) {
    read = { ...reused, pinnedRouter: router };
  } else {
    if (reused?.failure.reason === 'timeout') {
      // A router that hung on a kept session would hang a new one too: one timeout per poll is enough.
      return fail(reused.failure, startedAt, reused.bytesRead, reused.rawOutputs);
    }
    if (signal.aborted) return cancelled();
    // No kept session, or a stale one (dropped by the router, VTY cleared): log in.
    const login = await loginAndRead(deps, router, signal);
    if (login === 'cancelled') return cancelled();
    if (!('outputs' in login)) return fail(login.failure, startedAt, login.bytesRead, login.rawOutputs);
    read = login;
  }
  const { outputs, readAt, bytesRead } = read;
  if (deps.sessions) deps.sessions.keep(read.pinnedRouter, read.session);
  else read.session.session.close();

  let snapshot: PollSnapshot;
  try {
    snapshot = readPoll(router.platform, outputs, readAt);
  } catch (err) {
    // The parser never throws on odd text: this is a bug, kept with the raw output so it can be reproduced.
    return fail(
      { reason: 'parse', message: (err as Error).message, retry: false },
      startedAt,
      bytesRead,
      outputs,
    );
  }
  const finishedAt = new Date();
  const saved = await deps.save(router.id, {
    status: 'ok',
    snapshot,
    startedAt,
    finishedAt,
    bytesRead,
    rawOutputs: outputs,
  });
  await announce(deps, router, saved.pollId, true, finishedAt);
  const warningCount = Object.values(snapshot.warnings).reduce((sum, n) => sum + n, 0);
  const outcome: PollOutcome = {
    ok: true,
    routerId: router.id,
    routerName: router.name,
    pollId: saved.pollId,
    tunnelCount: snapshot.tunnels.length,
    warningCount,
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    bytesRead,
  };
  return { outcome, snapshot };
}

function none(outcome: PollOutcome): PollResult {
  return { outcome, snapshot: null };
}

async function saveFailure(
  deps: PollRouterDeps,
  router: PollTarget,
  failure: Failure,
  poll: { startedAt: Date; bytesRead: number; rawOutputs: Record<string, string> | undefined },
): Promise<PollResult> {
  const finishedAt = new Date();
  const saved = await deps.save(router.id, {
    status: 'failed',
    reason: failure.reason,
    detail: failure.message,
    startedAt: poll.startedAt,
    finishedAt,
    bytesRead: poll.bytesRead,
    ...(poll.rawOutputs ? { rawOutputs: poll.rawOutputs } : {}),
  });
  await announce(deps, router, saved.pollId, false, finishedAt);
  deps.logger.warn(
    { routerId: router.id, router: router.name, reason: failure.reason, err: failure.message },
    'poll failed',
  );
  return none({ ok: false, routerId: router.id, routerName: router.name, ...failure, pollId: saved.pollId });
}

async function announce(deps: PollRouterDeps, router: PollTarget, pollId: string, ok: boolean, at: Date) {
  try {
    await deps.publish({
      routerId: router.id,
      routerName: router.name,
      pollId,
      ok,
      finishedAt: at.toISOString(),
    });
  } catch (err) {
    // The poll is saved; the API's periodic refresh picks it up even if this announcement is lost.
    deps.logger.warn({ err, routerId: router.id }, 'could not announce poll');
  }
}

/** The outputs of one poll's commands, and the session to keep when the poll went well. */
type SessionRead = {
  outputs: Record<string, string>;
  /** When each output was read: SA lifetimes count from there, not from the end of a slow session. */
  readAt: Record<string, Date>;
  bytesRead: number;
  session: KeptSession;
  /** The router as the kept session was opened for (its host key pinned on first contact). */
  pinnedRouter: PollTarget;
};

/** A classified failure, with whatever output arrived before it (kept with the failed poll). */
type ReadFailure = { failure: Failure; bytesRead: number; rawOutputs: Record<string, string> };

async function runCommands(
  session: CliSession,
  platform: PollTarget['platform'],
  into: Pick<SessionRead, 'outputs' | 'readAt'>,
): Promise<void> {
  for (const command of POLL_COMMANDS[platform]) {
    into.outputs[command] = await session.run(command);
    into.readAt[command] = new Date();
  }
}

/** The poll's commands over a kept session; when that fails, the session is closed and the failure returned. */
async function readOver(
  kept: KeptSession,
  platform: PollTarget['platform'],
  signal: AbortSignal,
): Promise<Omit<SessionRead, 'pinnedRouter'> | ReadFailure> {
  const { session } = kept;
  const before = session.bytesRead;
  const read: Pick<SessionRead, 'outputs' | 'readAt'> = { outputs: {}, readAt: {} };
  const onAbort = () => session.close();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await runCommands(session, platform, read);
    return { ...read, bytesRead: session.bytesRead - before, session: kept };
  } catch (err) {
    session.close();
    if (!(err instanceof SessionError)) throw err;
    const failure = { reason: err.reason, message: err.message, retry: err.retry };
    return { failure, bytesRead: session.bytesRead - before, rawOutputs: read.outputs };
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * A new login (credential decrypted, a global login slot held until the prompt), then the poll's commands.
 * A router's own failure comes back classified; an infrastructure failure (no login slot in time) throws.
 */
async function loginAndRead(
  deps: PollRouterDeps,
  router: PollTarget,
  signal: AbortSignal,
): Promise<SessionRead | ReadFailure | 'cancelled'> {
  const refused = (reason: PollFailureReason, message: string): ReadFailure => ({
    failure: { reason, message, retry: false },
    bytesRead: 0,
    rawOutputs: {},
  });
  if (!router.credentialId) return refused('auth', 'no credential is assigned to this router');
  let secrets: LoginSecrets | null;
  try {
    secrets = await deps.store.getSecrets(router.credentialId);
  } catch (err) {
    // A wrong TUNNELWATCH_SECRET_KEY or a corrupted secret: retrying cannot fix it.
    return refused('internal', (err as Error).message);
  }
  if (!secrets) return refused('auth', 'the router credential no longer exists');

  let release: () => Promise<void>;
  try {
    release = await deps.semaphore.acquire(deps.loginWaitMs, signal);
  } catch (err) {
    if (signal.aborted) return 'cancelled';
    throw err; // no free login slot in time is not the router's fault: retried, nothing saved
  }
  const releaseSlot = () =>
    release().catch((err) => deps.logger.warn({ err }, 'could not release login slot (it expires)'));

  let session: CliSession | null = null;
  let openedAt = 0;
  let pinnedRouter = router;
  const read: Pick<SessionRead, 'outputs' | 'readAt'> = { outputs: {}, readAt: {} };
  const onAbort = () => session?.close();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    try {
      openedAt = Date.now();
      session = await openCliSession(sessionOptionsFor(router, secrets, deps.timeouts));
    } finally {
      await releaseSlot(); // the slot caps logins, not the commands after them
    }
    if (signal.aborted) {
      session.close();
      return 'cancelled';
    }
    if (router.hostKey === null) {
      // First contact: pin. Another worker may have pinned a different key a moment ago.
      const check = await deps.store.checkHostKey(router.id, session.hostKey.fingerprint);
      if (check === 'mismatch')
        throw new SessionError('host_key', 'the host key changed while it was being pinned');
      pinnedRouter = { ...router, hostKey: session.hostKey.fingerprint };
    }
    await runCommands(session, router.platform, read);
  } catch (err) {
    session?.close();
    if (signal.aborted) return 'cancelled';
    if (!(err instanceof SessionError)) throw err;
    if (err.reason === 'host_key' && err.presentedHostKey) {
      // Keeps the new key pending (with an event) for an operator to compare and accept.
      await deps.store.checkHostKey(router.id, err.presentedHostKey.fingerprint);
    }
    return {
      failure: { reason: err.reason, message: err.message, retry: err.retry },
      bytesRead: session?.bytesRead ?? 0,
      rawOutputs: read.outputs,
    };
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  return { ...read, bytesRead: session.bytesRead, session: { session, openedAt }, pinnedRouter };
}
