import fs from 'node:fs';
import type { CliContext } from '../cli-context';
import { emailReport } from './report-request';
import type { RunningPlatform } from './up.command';

const DAY_MS = 86_400_000;

/** The report the demo e-mailed to its sandbox. */
export interface DemoReport {
  readonly recipients: string;
  readonly attachments: readonly string[];
}

/**
 * At the end of the demo, the retention report of the day the demo scored (from the day's UTC
 * midnight to the next) e-mailed by monitoring to the sandbox's SMTP server, so the sandbox outbox
 * shows a report mail with its PDF and CSV as a retention lead would receive it. Only when the
 * e-mail integration is the sandbox's (never to a real server) and the demo minted its own token;
 * a failure is logged and leaves the summary without the line.
 */
export async function emailDemoReport(context: CliContext, platform: RunningPlatform, startedAt: Date): Promise<DemoReport | undefined> {
  const monitoring = platform.services.find((s) => s.name === 'monitoring');
  if (!monitoring || !platform.tokenFile || !platform.sandbox?.sandboxed.includes('email')) return undefined;
  const from = new Date(Math.floor(startedAt.getTime() / DAY_MS) * DAY_MS);
  const to = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS + DAY_MS);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  try {
    const token = fs.readFileSync(platform.tokenFile, 'utf8').trim();
    const receipt = await emailReport({ from: day(from), to: day(to) }, undefined, { url: `http://127.0.0.1:${monitoring.port}`, token });
    return { recipients: receipt.recipients, attachments: receipt.attachments };
  } catch (error) {
    context.logger.warn({ err: error }, 'the demo report could not be e-mailed to the sandbox');
    return undefined;
  }
}
