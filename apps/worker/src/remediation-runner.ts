import { ActionsRepository, type ActionView, type Db, EventsRepository } from '@tunnelwatch/db';
import {
  type CliSession,
  InvalidRemediationTargetError,
  openCliSession,
  remediationCommand,
  routerErrorIn,
  SessionError,
} from '@tunnelwatch/ssh';
import { type PollRouterDeps, pollRouterOnce } from './poll-router.js';
import { sessionOptionsFor } from './session-options.js';

export type RemediationDeps = {
  actions: ActionsRepository;
  events: EventsRepository;
  /** The poll's wiring: the same router store, credentials, login cap and SSH timeouts, and the re-poll. */
  poll: PollRouterDeps;
};

/** What one remediation job came to (the action row holds the same, this is for logs and tests). */
export type RemediationResult =
  | { ran: false; actionId: string; why: string }
  | { ran: true; action: ActionView; pollOk: boolean | null };

/** `runRemediation` over Postgres, sharing a poll worker's wiring (login cap, timeouts, publisher). */
export function createRemediationRunner(db: Db, poll: PollRouterDeps) {
  const deps: RemediationDeps = {
    actions: new ActionsRepository(db),
    events: new EventsRepository(db),
    poll,
  };
  return (actionId: string, signal: AbortSignal) => runRemediation(deps, actionId, signal);
}

/**
 * Runs one queued action: log in exactly as a poll does (the router's credential, a login slot) but only to a
 * pinned host key, mark the action `sent`, send its command, poll the router at once so the new SAs are in
 * Postgres, then record `succeeded` or `failed` with the output, its audit row and the event. Never throws for
 * the router's own failures: they are the action's outcome. Nothing is sent unless the action is still queued
 * at that moment.
 */
export async function runRemediation(
  deps: RemediationDeps,
  actionId: string,
  signal: AbortSignal,
): Promise<RemediationResult> {
  const { logger } = deps.poll;
  const action = await deps.actions.get(actionId);
  if (!action) return { ran: false, actionId, why: 'no such action' };
  if (action.status !== 'queued') return { ran: false, actionId, why: `action is ${action.status}` };

  // Refused before anything was sent: the outcome is recorded, no re-poll is needed.
  const fail = async (error: string): Promise<RemediationResult> => {
    const failed = await finish(deps, action, { status: 'failed', error, output: null });
    return failed
      ? { ran: true, action: failed, pollOk: null }
      : { ran: false, actionId, why: 'finished already' };
  };

  const router = await deps.poll.store.getRouter(action.routerId);
  if (!router) return fail('the router was deleted or disabled');
  let command: string;
  try {
    command = remediationCommand(action.kind, {
      platform: router.platform,
      peer: action.peer,
      fvrf: action.fvrf,
    });
  } catch (err) {
    if (err instanceof InvalidRemediationTargetError) return fail(err.message);
    throw err;
  }
  // The API stored the command it showed the operator; send nothing else.
  if (command !== action.command) return fail(`refusing to send ${JSON.stringify(action.command)}`);
  // Trust on first use is fine for reading; a command that changes the router goes only to a known key.
  if (router.hostKey === null) return fail('the host key is not pinned yet: poll the router first');
  if (!router.credentialId) return fail('no credential is assigned to this router');
  let secrets: Awaited<ReturnType<PollRouterDeps['store']['getSecrets']>>;
  try {
    secrets = await deps.poll.store.getSecrets(router.credentialId);
  } catch (err) {
    return fail(`cannot read the credential: ${(err as Error).message}`);
  }
  if (!secrets) return fail('the router credential no longer exists');

  let release: () => Promise<void>;
  try {
    release = await deps.poll.semaphore.acquire(deps.poll.loginWaitMs, signal);
  } catch (err) {
    return fail(signal.aborted ? 'the worker shut down before sending' : (err as Error).message);
  }
  let session: CliSession | null = null;
  let sent = false;
  let outcome: Outcome;
  const onAbort = () => session?.close();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    session = await openCliSession(sessionOptionsFor(router, secrets, deps.poll.timeouts));
    if (signal.aborted) throw new SessionError('prompt', 'the worker shut down before sending');
    // Abandoned by the API meanwhile (or claimed twice): then the command must not go out.
    if (!(await deps.actions.claim(action.id))) {
      return { ran: false, actionId, why: 'action was no longer queued when the session opened' };
    }
    sent = true;
    const output = await session.run(command);
    const routerError = routerErrorIn(output);
    outcome = {
      status: routerError ? 'failed' : 'succeeded',
      output,
      error: routerError ? `the router refused the command: ${routerError}` : null,
    };
  } catch (err) {
    if (!(err instanceof SessionError)) throw err;
    // Once sent, a lost session leaves the outcome unknown: say so rather than guess.
    const error = sent
      ? `sent, but no answer was read (${err.reason}: ${err.message}); the re-poll shows the state`
      : `${err.reason}: ${err.message}`;
    outcome = { status: 'failed', error, output: null };
  } finally {
    signal.removeEventListener('abort', onAbort);
    session?.close();
    await release().catch((err) => logger.warn({ err }, 'could not release login slot (it expires)'));
  }
  if (!sent || signal.aborted) {
    const failed = await finish(deps, action, outcome);
    return failed
      ? { ran: true, action: failed, pollOk: null }
      : { ran: false, actionId, why: 'finished already' };
  }

  // Fresh state before the action reports its outcome: whoever waits for it then reads the new SAs.
  let poll: { pollId: string | null; ok: boolean };
  try {
    const { outcome: polled } = await pollRouterOnce(deps.poll, router.id, signal);
    poll = { pollId: polled.pollId, ok: polled.ok };
  } catch (err) {
    // No login slot or no database for the poll: the action's own outcome still stands.
    logger.warn({ err, actionId }, 're-poll after remediation failed');
    poll = { pollId: null, ok: false };
  }
  const finished = await finish(deps, action, { ...outcome, poll });
  return finished
    ? { ran: true, action: finished, pollOk: poll.ok }
    : { ran: false, actionId, why: 'finished already' };
}

type Outcome = { status: 'succeeded' | 'failed'; output: string | null; error: string | null };

/** Records the outcome (with its audit row) and the tunnel's event; null when the action had finished already. */
async function finish(
  deps: RemediationDeps,
  action: ActionView,
  outcome: Outcome & { poll?: { pollId: string | null; ok: boolean } },
): Promise<ActionView | null> {
  const finished = await deps.actions.finish(action.id, outcome);
  if (!finished) return null;
  const event = {
    routerId: action.routerId,
    kind: 'remediation' as const,
    peer: action.peer,
    fvrf: action.fvrf,
    detail: {
      actionId: action.id,
      action: action.kind,
      command: action.command,
      outcome: outcome.status,
      requestedBy: action.requestedBy,
      ...(outcome.error ? { error: outcome.error } : {}),
    },
  };
  try {
    await deps.events.record({ ...event, tunnelId: action.tunnelId });
  } catch (err) {
    // The tunnel was forgotten meanwhile (foreign key): keep the event on the router, readable by peer.
    if ((err as { code?: unknown }).code !== 'P2003') throw err;
    await deps.events.record(event);
  }
  deps.poll.logger.info(
    { actionId: action.id, router: action.routerName, peer: action.peer, outcome: outcome.status },
    'remediation finished',
  );
  return finished;
}
