import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '@churn/observability';
import { LocalPostgres } from './embedded-postgres';
import { isPortOpen } from './process-utils';

const asRoot = process.getuid?.() === 0;

describe('embedded Postgres from a directory its system user cannot enter', { skip: !asRoot && 'only root hands Postgres to another user' }, () => {
  let privateDir: string;
  const previousStateDir = process.env['CHURN_STATE_DIR'];

  before(() => {
    // mkdtemp creates the directory with mode 0700, like root's home.
    privateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'churn-private-'));
    assert.equal(fs.statSync(privateDir).mode & 0o777, 0o700);
    process.env['CHURN_STATE_DIR'] = path.join(privateDir, 'state');
  });

  after(() => {
    if (previousStateDir === undefined) delete process.env['CHURN_STATE_DIR'];
    else process.env['CHURN_STATE_DIR'] = previousStateDir;
    fs.rmSync(privateDir, { recursive: true, force: true });
  });

  it('stops before starting anything with one line naming the directory and what to do', async () => {
    const port = 56_900 + Number(process.env['CHURN_TEST_PORT_OFFSET'] ?? 0);
    const sut = new LocalPostgres({ name: 'access-spec', port, database: 'churn' }, createLogger({ service: 'postgres-spec', level: 'silent' }));
    await assert.rejects(
      () => sut.start(),
      (error: Error) => {
        assert.equal((error as { code?: string }).code, 'POSTGRES_ACCESS');
        assert.doesNotMatch(error.message, /\n/);
        assert.ok(error.message.includes(`${privateDir} (mode 0700)`), error.message);
        assert.match(error.message, /CHURN_STATE_DIR/);
        return true;
      },
    );
    assert.equal(await isPortOpen(port), false);
    assert.equal(fs.existsSync(path.join(privateDir, 'state', 'postgres', 'access-spec', 'PG_VERSION')), false, 'initdb never ran');
    await sut.stop();
  });

  it('starts when CHURN_STATE_DIR is a directory that user can reach, the private one untouched', async () => {
    const reachable = fs.mkdtempSync(path.join(os.tmpdir(), 'churn-state-'));
    fs.chmodSync(reachable, 0o755);
    process.env['CHURN_STATE_DIR'] = reachable;
    const port = 56_901 + Number(process.env['CHURN_TEST_PORT_OFFSET'] ?? 0);
    const sut = new LocalPostgres({ name: 'access-spec', port, database: 'churn' }, createLogger({ service: 'postgres-spec', level: 'silent' }));
    try {
      await sut.start();
      assert.equal(await isPortOpen(port), true);
      assert.equal(fs.statSync(privateDir).mode & 0o777, 0o700);
    } finally {
      await sut.stop();
      fs.rmSync(reachable, { recursive: true, force: true });
    }
  });
});
