import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../errors/validation-error';
import { IdentifierParamPipe } from './identifier-param.pipe';

describe('IdentifierParamPipe', () => {
  const pipe = new IdentifierParamPipe('version');

  it('passes an ordinary identifier through', () => {
    assert.equal(pipe.transform('v20261121-204522-8471c54f'), 'v20261121-204522-8471c54f');
    assert.equal(pipe.transform("7590-VHVEG'"), "7590-VHVEG'");
  });

  for (const [what, value] of [
    ['a NUL byte', 'x\u0000'],
    ['a newline', 'a\nb'],
    ['an empty value', ''],
    ['201 characters', 'x'.repeat(201)],
  ] as const) {
    it(`answers 400 naming the parameter for ${what}`, () => {
      assert.throws(
        () => pipe.transform(value),
        (error: unknown) => error instanceof ValidationError && error.errors[0]!.field === 'version',
      );
    });
  }
});
