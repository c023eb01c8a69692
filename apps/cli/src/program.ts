import { Command } from 'commander';
import type { CliContext } from './cli-context';
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

/** Every command of `bin/churn`, registered on one commander program (main.ts runs it; the README's command table is checked against it). */
export function buildProgram(context: CliContext): Command {
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
  return program;
}
