import type { Logger } from '@churn/observability';

/**
 * Ctrl-C and SIGTERM for a whole `churn up` / `churn demo` run: listened to from before anything
 * starts until the process exits.
 * - Waiting for the signal holds the process open. Node's signal listeners do not (their handles
 *   are unref'd): with Kafka and Postgres named in env and no services, nothing else did, so
 *   `churn up` printed "Press Ctrl-C" and exited by itself — and a Ctrl-C arriving while it was
 *   exiting, its handlers already gone, ended it by SIGINT.
 * - One Ctrl-C often arrives twice (a terminal signals every process of the foreground group and
 *   `npm run` forwards the signal to its child as well); with a one-shot listener the second found
 *   none and killed the process in the middle of its ordered stop. Every further signal is now
 *   only acknowledged; a Ctrl-C during start-up stops what has started.
 */
export class ShutdownSignals {
  private requested = false;
  private readonly waiters: (() => void)[] = [];
  private readonly onSignal = (signal: NodeJS.Signals) => {
    if (this.requested) {
      this.logger.info({ signal }, 'already stopping; Kafka and Postgres stop last');
      return;
    }
    this.requested = true;
    this.logger.info({ signal }, 'stopping');
    for (const wake of this.waiters.splice(0)) wake();
  };

  constructor(private readonly logger: Logger) {
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  get stopRequested(): boolean {
    return this.requested;
  }

  /** Resolves at the first signal (at once when one came already); keeps the process alive until then. */
  whenRequested(): Promise<void> {
    if (this.requested) return Promise.resolve();
    return new Promise((resolve) => {
      const keepAlive = setInterval(() => undefined, 1 << 30);
      this.waiters.push(() => {
        clearInterval(keepAlive);
        resolve();
      });
    });
  }
}

/** A Ctrl-C ended the run before its work was done; the platform was stopped in order. */
export class StopRequested extends Error {
  constructor() {
    super('stopped by a signal');
  }
}
