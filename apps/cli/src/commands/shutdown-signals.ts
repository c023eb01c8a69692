import type { Logger } from '@churn/observability';

/**
 * Ctrl-C and SIGTERM for a whole `churn up` / `churn demo` run: listened to from before anything
 * starts until the process exits. One Ctrl-C often arrives twice — a terminal signals every process
 * of the foreground group and `npm run` forwards the signal to its child as well — and with a
 * one-shot listener the second one found none, so Node's default action killed the process in the
 * middle of its ordered stop (exit by SIGINT, the broker and Postgres possibly left running). Every
 * further signal is now only acknowledged; a Ctrl-C during start-up stops what has started.
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

  /** Resolves at the first signal (at once when one came already). */
  whenRequested(): Promise<void> {
    return this.requested ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}

/** A Ctrl-C ended the run before its work was done; the platform was stopped in order. */
export class StopRequested extends Error {
  constructor() {
    super('stopped by a signal');
  }
}
