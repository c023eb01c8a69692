/** A spec that does not parse or validate: every problem found, each with its place in the file. */
export class FeatureSpecError extends Error {
  readonly code = 'FEATURE_SPEC_INVALID';
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the feature spec:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'FeatureSpecError';
  }
}
