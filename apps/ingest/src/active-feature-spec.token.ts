/** Injection token of the ActiveFeatureSpec the service was started with (config FEATURE_SPEC_FILE). */
export const ACTIVE_FEATURE_SPEC = Symbol('ACTIVE_FEATURE_SPEC');
