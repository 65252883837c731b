import type { Logger } from '@tunnelwatch/config';

/**
 * Resolves at the first SIGINT or SIGTERM. Later signals only say that shutdown is under way: a terminal's Ctrl-C
 * under `npm run` arrives twice (once from the terminal, once forwarded by npm), and cutting the shutdown short
 * would leave child processes behind.
 */
export function waitForStopSignal(logger: Logger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let first: NodeJS.Signals | null = null;
    const onSignal = (signal: NodeJS.Signals) => {
      if (first === null) {
        first = signal;
        resolve(signal);
      } else {
        logger.info({ signal }, 'already stopping');
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/** Runs `close` and makes sure the process ends even if something hangs in it. */
export async function closeWithin(ms: number, close: () => Promise<void>, logger: Logger): Promise<void> {
  const timer = setTimeout(() => {
    logger.error(`shutdown took longer than ${ms / 1000} s: exiting`);
    process.exit(1);
  }, ms);
  timer.unref();
  try {
    await close();
  } finally {
    clearTimeout(timer);
  }
}
