/** Injection token of the active feature spec (FEATURE_SPEC_FILE), loaded and validated once at start. */
export const ACTIVE_FEATURE_SPEC = Symbol('ACTIVE_FEATURE_SPEC');
