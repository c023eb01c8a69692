import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseReadmeCommands } from './readme-commands';

describe('parseReadmeCommands', () => {
  it('takes bash block lines without comments, joins continuations, and bin/churn table rows', () => {
    const readme = [
      '```bash',
      'npm run demo   # the demo',
      "java -cp 'a/*' Tool --x 1 \\",
      "  --y '|'",
      'C-1|{"a":"#not a comment"}',
      '```',
      '```',
      'not bash: ignored',
      '```',
      '| command | does |',
      '|---|---|',
      '| `bin/churn dlq list\\|replay --topic T` | inspect |',
      '| `bin/churn crm backfill` / `bin/churn crm retry` | push; re-drive `bin/churn x` |',
      '| `npm run x` | not a churn command |',
    ].join('\n');
    assert.deepEqual(parseReadmeCommands(readme), [
      'npm run demo',
      "java -cp 'a/*' Tool --x 1 --y '|'",
      'C-1|{"a":"#not a comment"}',
      'bin/churn dlq list|replay --topic T',
      'bin/churn crm backfill',
      'bin/churn crm retry',
    ]);
  });
});
