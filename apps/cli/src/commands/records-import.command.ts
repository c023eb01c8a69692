import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { registerCloseWindowsCommand } from './close-windows.command';
import { importRecords, importTarget, type RecordKind } from './records-import';

const DESCRIPTIONS: Record<RecordKind, string> = {
  outcomes: 'send observed outcomes (CSV with a header: customer_id, churned, observed_at, …; or one .json record) to monitoring; all rows or none',
  interventions:
    'send interventions performed (CSV with a header: customer_id, performed_by, performed_at, action, cost, …; or one .json record) to monitoring; all rows or none',
};

/** `churn outcomes import FILE` and `churn interventions import FILE`: exit 1 when monitoring refuses the file. */
export function registerRecordsImportCommands(program: Command, context: CliContext): void {
  for (const kind of ['outcomes', 'interventions'] as const) {
    const group = program
      .command(kind)
      .description(
        kind === 'outcomes'
          ? "outcomes recorded by people (monitoring's POST /v1/outcomes) and the label-window job"
          : `${kind} recorded by people (monitoring's POST /v1/${kind})`,
      );
    if (kind === 'outcomes') registerCloseWindowsCommand(group, context);
    group
      .command('import')
      .description(DESCRIPTIONS[kind])
      .argument('<file>', 'a CSV file (or a .json file with one record)')
      .action(async (file: string) => {
        const answer = await importRecords(kind, file, importTarget(context.env));
        (answer.accepted ? process.stdout : process.stderr).write(answer.text);
        if (!answer.accepted) process.exitCode = 1;
      });
  }
}
