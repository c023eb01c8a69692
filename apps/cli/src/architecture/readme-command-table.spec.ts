import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Command } from 'commander';
import { createLogger } from '@churn/observability';
import { buildProgram } from '../program';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');

/** Each runnable command's path (`crm status`, `train`): the leaves of commander's tree. */
function leafCommands(command: Command, prefix: string[] = []): string[] {
  const children = command.commands.filter((c) => c.name() !== 'help');
  if (children.length === 0) return [prefix.join(' ')];
  return children.flatMap((child) => leafCommands(child, [...prefix, child.name()]));
}

describe("the README's command table", () => {
  it('names every command bin/churn has, and none it does not', () => {
    const program = buildProgram({ logger: createLogger({ service: 'spec', level: 'silent' }), env: {}, logFormat: 'json' });
    const commands = leafCommands(program);
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const table = readme.split('\n').filter((line) => line.startsWith('| `bin/churn '));
    const named = new Set(
      table.flatMap((row) =>
        [...row.split(' | ')[0]!.matchAll(/`bin\/churn ([a-z-]+(?: [a-z-]+)?)/g)].map(([, words]) => {
          // A row names a group's command by its two words (`crm status`), a top-level one by its first.
          const [first, second] = words!.split(' ');
          return commands.includes(`${first} ${second}`) ? `${first} ${second}` : first!;
        }),
      ),
    );
    assert.ok(commands.length > 20, `the program has its commands: ${commands.join(', ')}`);
    assert.deepEqual(
      commands.filter((c) => !named.has(c)),
      [],
      'commands missing from the README',
    );
    assert.deepEqual(
      [...named].filter((c) => !commands.includes(c)),
      [],
      'rows naming no command',
    );
  });
});
