import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sameOriginPath } from './return-to';

describe('return_to of a sign-in', () => {
  it('keeps a path on this origin with its query and fragment', () => {
    assert.equal(sameOriginPath('/'), '/');
    assert.equal(sameOriginPath('/customers?risk_level=high#top'), '/customers?risk_level=high#top');
    assert.equal(sameOriginPath('/a/../queue'), '/queue');
  });

  it('refuses what a browser would take to another origin (open redirect)', () => {
    for (const raw of [
      'https://evil.example/',
      '//evil.example/',
      '/\\evil.example',
      '\\\\evil.example',
      'javascript:alert(1)',
      'evil.example',
      '/%0d%0aSet-Cookie:x',
      '/\tx',
      '/\n/evil.example',
      'http:/evil.example',
    ]) {
      const kept = sameOriginPath(raw);
      assert.ok(kept === null || (kept.startsWith('/') && !kept.startsWith('//')), `${JSON.stringify(raw)} → ${String(kept)}`);
    }
    assert.equal(sameOriginPath('https://evil.example/'), null);
    assert.equal(sameOriginPath('//evil.example/'), null);
    assert.equal(sameOriginPath('/\\evil.example'), null);
    assert.equal(sameOriginPath('javascript:alert(1)'), null);
    assert.equal(sameOriginPath('/\n/evil.example'), null);
  });

  it('refuses nothing and very long values', () => {
    assert.equal(sameOriginPath(undefined), null);
    assert.equal(sameOriginPath(''), null);
    assert.equal(sameOriginPath(`/${'a'.repeat(3000)}`), null);
  });
});
