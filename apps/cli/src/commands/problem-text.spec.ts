import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { problemText } from './problem-text';

describe('problemText', () => {
  const problem = {
    type: 'urn:churn-radar:problem:CUSTOMER_NOT_FOUND',
    title: 'Not Found',
    status: 404,
    detail: 'monitoring knows no customer "x"',
    code: 'CUSTOMER_NOT_FOUND',
  };

  it('says the status, the code and the detail', () => {
    assert.equal(problemText('monitoring', 404, problem), 'monitoring answered 404 CUSTOMER_NOT_FOUND: monitoring knows no customer "x"');
  });

  it('names each refused field as the option that carries it', () => {
    const refused = { ...problem, status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'top', message: 'must be at most 1000' }] };
    assert.equal(
      problemText('monitoring', 400, refused, (field) => `--${field}`),
      '--top: must be at most 1000',
    );
  });

  it('says only the status of an answer that is no problem', () => {
    assert.equal(problemText('monitoring', 502, '<html>Bad Gateway</html>'), 'monitoring answered 502');
  });
});
