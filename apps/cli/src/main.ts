import { Command, CommanderError } from 'commander';
import { ConfigError } from '@churn/config';
import { createCliContext } from './cli-context';
import { registerDbCommand } from './commands/db.command';
import { registerDemoCommand } from './commands/demo.command';
import { registerScoreCommand } from './commands/score.command';
import { registerSpecCommand } from './commands/spec.command';
import { registerTrainCommand } from './commands/train.command';
import { registerDlqCommand } from './commands/dlq.command';
import { registerReplayCommand } from './commands/replay.command';
import { registerRescoreCommand } from './commands/rescore.command';
import { registerRetrainCommand } from './commands/retrain.command';
import { registerTopicsCommand } from './commands/topics.command';
import { registerUpCommand } from './commands/up.command';
import { registerCrmCommand } from './commands/crm.command';
import { registerRecordsImportCommands } from './commands/records-import.command';
import { registerReportCommand } from './commands/report.command';
import { registerJobsCommand } from './commands/jobs.command';

async function main(argv: string[]): Promise<void> {
  const context = createCliContext();
  const program = new Command('churn')
    .description('Churn Radar: churn prediction and retention operations on Kafka and Postgres')
    .showHelpAfterError()
    .exitOverride();
  registerUpCommand(program, context);
  registerDemoCommand(program, context);
  registerDbCommand(program, context);
  registerTopicsCommand(program, context);
  registerScoreCommand(program, context);
  registerTrainCommand(program, context);
  registerSpecCommand(program, context);
  registerReplayCommand(program, context);
  registerDlqCommand(program, context);
  registerRescoreCommand(program, context);
  registerRetrainCommand(program, context);
  registerCrmCommand(program, context);
  registerRecordsImportCommands(program, context);
  registerReportCommand(program, context);
  registerJobsCommand(program, context);
  await program.parseAsync(argv);
}

main(process.argv).then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    if (error instanceof CommanderError) process.exit(error.exitCode);
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    // Operational failures (a port taken, a broker that would not start) read best as one message;
    // the stack is there for whoever asks for it.
    const verbose = process.env['LOG_LEVEL'] === 'debug' || process.env['LOG_LEVEL'] === 'trace';
    process.stderr.write(`churn: ${verbose ? ((error as Error)?.stack ?? String(error)) : ((error as Error)?.message ?? String(error))}\n`);
    process.exit(1);
  },
);
