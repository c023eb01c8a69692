import { InvalidArgumentError, Option, type Command } from 'commander';
import type { CliContext } from '../cli-context';
import { importTarget } from './records-import';
import { downloadReport, emailReport } from './report-request';

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}

/**
 * `churn report --from D --to D [--format pdf|csv] [--out FILE] [--top N]`: the retention report of
 * [from, to) from monitoring (agent token); with `--email`, monitoring e-mails it now to REPORT_EMAIL_TO
 * instead (agent token), or to `--recipients LIST` (admin token). Monitoring validates the period: a refusal names the option.
 */
export function registerReportCommand(program: Command, context: CliContext): void {
  program
    .command('report')
    .description(
      "the retention report of a period [from, to) from monitoring (GET /v1/reports), or e-mailed now to REPORT_EMAIL_TO with --email; CHURN_TOKEN or the local stack's agent token (--recipients needs an admin's CHURN_TOKEN)",
    )
    .requiredOption('--from <date>', 'start of the period, included: 2026-03-01 (midnight UTC) or an ISO-8601 time with its zone')
    .requiredOption('--to <date>', 'end of the period, excluded')
    .addOption(new Option('--format <format>', 'pdf or csv').choices(['pdf', 'csv']).default('pdf'))
    .option('--out <path>', "file to write (or a directory for monitoring's file name); default: that name in the current directory")
    .option('--top <n>', 'customers in the top at-risk table (default: monitoring’s REPORT_TOP_CUSTOMERS)', positiveInteger)
    .option('--email', 'have monitoring e-mail the report (PDF and CSV attached) now instead of downloading it')
    .option('--recipients <list>', 'with --email: comma-separated addresses instead of monitoring’s REPORT_EMAIL_TO (admin token)')
    .action(async (options: { from: string; to: string; format: 'pdf' | 'csv'; out?: string; top?: number; email?: boolean; recipients?: string }) => {
      const target = importTarget(context.env);
      if (options.email) {
        const receipt = await emailReport({ from: options.from, to: options.to, ...(options.top ? { top: options.top } : {}) }, options.recipients, target);
        process.stdout.write(
          `report ${options.from} to ${options.to} e-mailed to ${receipt.recipients} (${receipt.attachments.join(', ')}; Message-ID ${receipt.message_id})\n`,
        );
        return;
      }
      if (options.recipients) throw new InvalidArgumentError('--recipients goes with --email');
      const written = await downloadReport(
        { from: options.from, to: options.to, format: options.format, ...(options.top ? { top: options.top } : {}) },
        options.out,
        target,
      );
      process.stdout.write(`wrote ${written.file} (${written.bytes} bytes)\n`);
    });
}
