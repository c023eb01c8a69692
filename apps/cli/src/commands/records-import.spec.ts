import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { importTarget } from './records-import';

describe('records import: where to send and with which token', () => {
  it('takes MONITORING_URL and CHURN_TOKEN when set', () => {
    assert.deepEqual(importTarget({ MONITORING_URL: 'http://monitoring:3005', CHURN_TOKEN: ' t0ken \n' }), { url: 'http://monitoring:3005', token: 't0ken' });
  });

  it('defaults to churn up’s monitoring, its port shifted by CHURN_PORT_OFFSET, and the token churn up wrote', () => {
    const state = fs.mkdtempSync(path.join(os.tmpdir(), 'churn-import-'));
    const previous = process.env['CHURN_STATE_DIR'];
    process.env['CHURN_STATE_DIR'] = state;
    try {
      fs.mkdirSync(path.join(state, 'auth'));
      fs.writeFileSync(path.join(state, 'auth', 'dev-dashboard.token'), 'local-agent-token\n');
      assert.deepEqual(importTarget({}), { url: 'http://127.0.0.1:3005', token: 'local-agent-token' });
      // A second platform (CHURN_PORT_OFFSET): its own port and its own token file.
      fs.writeFileSync(path.join(state, 'auth', 'dev-7-dashboard.token'), 'second-platform-token\n');
      assert.deepEqual(importTarget({ CHURN_PORT_OFFSET: '7' }), { url: 'http://127.0.0.1:3012', token: 'second-platform-token' });
      fs.rmSync(path.join(state, 'auth', 'dev-dashboard.token'));
      assert.throws(() => importTarget({}), /no token: set CHURN_TOKEN/);
    } finally {
      if (previous === undefined) delete process.env['CHURN_STATE_DIR'];
      else process.env['CHURN_STATE_DIR'] = previous;
      fs.rmSync(state, { recursive: true, force: true });
    }
  });
});
