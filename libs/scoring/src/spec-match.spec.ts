import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { messageVector } from '@churn/contracts';
import { loadFeatureSpec, specHash, TELCO_SPEC_PATH } from '@churn/feature-spec';
import { cardSpecRef, messageSpecHash, noVersionOfSpec, shortHash, specLabel, vectorSpecMismatch, versionSpecMismatch } from './spec-match';

const TELCO = specHash(loadFeatureSpec(TELCO_SPEC_PATH));
const SAAS = 'b'.repeat(12) + 'c'.repeat(52);
const telco = { name: 'telco', hash: TELCO };
const saas = { name: 'saas', hash: SAAS };
const envelope = { customer_id: 'C-1', as_of: '2024-03-01T10:00:00Z', source_event_id: 'e-1' };

describe('the spec of a card', () => {
  it("is the card's feature_spec name and hash", () => {
    assert.deepEqual(cardSpecRef({ version: 'v2', feature_spec: { name: 'saas', hash: SAAS, spec: {} } }), saas);
  });

  it('is the Telco spec for a card without feature_spec, and for no card at all', () => {
    assert.deepEqual(cardSpecRef({ version: 'v1' }), telco);
    assert.deepEqual(cardSpecRef(null), telco);
  });
});

describe('the spec of a features message', () => {
  it('is its spec_hash for version 2 and the Telco spec for version 1', () => {
    assert.equal(messageSpecHash(messageVector({ ...envelope, feature_schema_version: 2, spec_hash: SAAS, features: { seats: 3 } })), SAAS);
    const v1 = { ...envelope, feature_schema_version: 1 as const, features: {} as never };
    assert.equal(messageSpecHash(messageVector(v1)), TELCO);
  });
});

describe('spec checks', () => {
  const names = new Map([
    [TELCO, 'telco'],
    [SAAS, 'saas'],
  ]);
  const nameOf = (hash: string) => names.get(hash);

  it("let a vector of the model's spec through", () => {
    assert.equal(vectorSpecMismatch({ version: 'v1', spec: telco }, TELCO, nameOf), null);
  });

  it('refuse a vector of another spec, naming both specs by name and short hash', () => {
    const reason = vectorSpecMismatch({ version: 'v1', spec: telco }, SAAS, nameOf);
    assert.equal(reason, `vector of spec saas (${shortHash(SAAS)}), model v1 reads spec telco (${shortHash(TELCO)}): not scored`);
  });

  it("say so when the vector's spec is one the scorer has no name for", () => {
    assert.match(vectorSpecMismatch({ version: 'v1', spec: telco }, 'f'.repeat(64), nameOf)!, /^vector of spec an unknown spec \(ffffffffffff\)/);
  });

  it('refuse a version trained on another spec than the scorer runs', () => {
    assert.equal(versionSpecMismatch('v2', saas, saas), null);
    assert.equal(
      versionSpecMismatch('v1', telco, saas),
      `model v1 was trained on spec telco (${shortHash(TELCO)}); this scorer runs spec saas (${shortHash(SAAS)}) (FEATURE_SPEC_FILE)`,
    );
  });

  it('name, when no version is of the active spec, the spec run and the specs of the versions', () => {
    const message = noVersionOfSpec({ ...saas, file: '/repo/specs/saas.yaml' }, [
      { version: 'v1', spec: telco },
      { version: 'v2', spec: telco },
      { version: 'v3', spec: { name: 'other', hash: 'd'.repeat(64) } },
    ]);
    assert.match(message, /^no model version is of the spec this scorer runs, saas \(bbbbbbbbbbbb\) from FEATURE_SPEC_FILE \/repo\/specs\/saas\.yaml: /);
    assert.match(message, new RegExp(`the registry holds v1, v2 of spec telco \\(${shortHash(TELCO)}\\); v3 of spec other \\(dddddddddddd\\)\\.`));
    assert.match(noVersionOfSpec({ ...saas, file: 'x.yaml' }, []), /: the registry holds no model version\./);
  });

  it('label a spec by name and the first 12 hex digits of its hash', () => {
    assert.equal(specLabel(TELCO, 'telco'), `telco (${TELCO.slice(0, 12)})`);
  });
});
