import { CommanderError } from 'commander';
import { ConfigError } from '@churn/config';
import { createCliContext } from './cli-context';
import { buildProgram } from './program';

async function main(argv: string[]): Promise<void> {
  const context = createCliContext();
  const program = buildProgram(context);
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
