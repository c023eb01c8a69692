// Lint: TypeScript rules plus the architecture, enforced: apps never import apps, libraries never
// import apps, contracts import nothing of ours, every library is imported through its index, a
// service's code uses no other service's data access, and only test code uses test helpers and the sandbox.
import js from '@eslint/js';
import { createProjectGraphAsync } from '@nx/devkit';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// @nx/enforce-module-boundaries reads the project graph Nx cached; with none (a fresh clone, a
// cleared .nx) it only warns "No cached ProjectGraph is available. The rule will be skipped" and the
// boundaries go unchecked. Computing the graph here (Nx caches it) makes `npx eslint` enforce them
// on its own, without an `nx` command first.
await createProjectGraphAsync({ exitOnError: true });

// The layers, for running code: type:testing (test helpers) and type:sandbox (local Slack, SMTP,
// Salesforce, HubSpot, OpenID provider) are in no list but testing's own, so only test code (below)
// reaches them.
const layers = {
  'type:contracts': [],
  'type:sandbox': [],
  'type:util': ['type:contracts', 'type:util'],
  // A data-access library builds on @churn/db (Database, migrations, the shared outbox, audit and job tables).
  'type:data-access': ['type:contracts', 'type:util', 'type:data-access'],
  'type:nest': ['type:contracts', 'type:util', 'type:data-access'],
  'type:tooling': ['type:contracts', 'type:util', 'type:data-access'],
  // Test helpers stand below everything they help test, so that every library's specs can use them.
  'type:testing': ['type:contracts', 'type:sandbox'],
  'type:app': ['type:contracts', 'type:util', 'type:data-access', 'type:nest', 'type:tooling'],
};

const SERVICES = ['ingest', 'scorer', 'alerting', 'crm-sync', 'monitoring'];

/**
 * The module boundaries, for running code or for test code. Each service owns its tables: its code
 * (scope:<service>, its data-access library libs/<service>-data included) depends on shared libraries
 * and its own scope only; libs/crm, crm-sync's CRM clients, is scope:crm-sync. The command line, an
 * admin tool, may use every service's data access. Test code may also use the test helpers and the
 * sandbox, and seed other services' tables through their repositories (one database in the test stack).
 */
function boundaries({ testCode }) {
  const extra = testCode ? ['type:testing', 'type:sandbox'] : [];
  const serviceScopes = SERVICES.map((name) => `scope:${name}`);
  return {
    enforceBuildableLibDependency: true,
    allow: [],
    depConstraints: [
      ...Object.entries(layers).map(([sourceTag, tags]) => ({ sourceTag, onlyDependOnLibsWithTags: [...new Set([...tags, ...extra])] })),
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
      // Only the command line starts Kafka and Postgres itself (type:tooling); services are handed their URLs.
      { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['scope:shared', ...serviceScopes] },
      { sourceTag: 'scope:dashboard', onlyDependOnLibsWithTags: testCode ? ['scope:shared', ...serviceScopes] : ['scope:shared'] },
      ...SERVICES.map((name) => ({
        sourceTag: `scope:${name}`,
        onlyDependOnLibsWithTags: testCode ? ['scope:shared', ...serviceScopes] : ['scope:shared', `scope:${name}`],
        notDependOnLibsWithTags: ['type:tooling'],
      })),
    ],
  };
}

const INDEX_ONLY = { group: ['@churn/*/*'], message: 'Import a library through its index: @churn/<lib>.' };
// Test code: specs, their support files, fixtures and builders, the CLI's chaos suites and every
// e2e suite. The CLI's demo (`churn demo`) runs against the sandbox's local integrations by design.
const TEST_CODE = [
  '**/*.spec.ts',
  '**/*-spec-support.ts',
  '**/*-spec-fixtures.ts',
  '**/*.builders.ts',
  '**/*.fixture.ts',
  'apps/cli/src/chaos/**',
  'apps/*/src/e2e/**',
  'libs/testing/src/**',
  'apps/cli/src/commands/demo.command.ts',
  'apps/cli/src/commands/integration-sandbox-env.ts',
];
const SPEC_FILES = TEST_CODE.slice(0, 4);

// Domain code names its failures with typed error codes (DomainError<Code>); which HTTP status a code
// answers is chosen in the HTTP layer only: controllers, HTTP setup, each service's
// http-error-statuses.ts and the service kit's http folder (the exception filter).
const HTTP_LAYER_FILES = ['**/*.controller.ts', '**/http-setup.ts', '**/http-error-statuses.ts', 'libs/service-kit/src/http/**'];
const HTTP_STATUS_IN_DOMAIN = {
  selector: "ImportDeclaration[source.value='@nestjs/common'] > ImportSpecifier[imported.name=/^(HttpStatus|HttpException|[A-Za-z]+Exception)$/]",
  message: 'Domain code throws its module’s typed error (a code, no status); the code → HTTP status table lives in http-error-statuses.ts.',
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.churn/**', 'apps/trainer/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': ['error', boundaries({ testCode: false })],
      'no-restricted-imports': ['error', { patterns: [INDEX_ONLY] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: SERVICES.map((name) => `apps/${name}/src/**/*.ts`),
    ignores: SPEC_FILES,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['@churn/testing', '@churn/sandbox'].map((name) => ({
            name,
            message: `${name} is for specs: a service's running code must not depend on it.`,
          })),
          patterns: [INDEX_ONLY, { group: ['**/*-spec-support', '**/*-spec-fixtures', '**/*.builders'], message: "A spec's support file is for specs only." }],
        },
      ],
    },
  },
  {
    files: TEST_CODE,
    rules: { '@nx/enforce-module-boundaries': ['error', boundaries({ testCode: true })] },
  },
  {
    files: ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: [...HTTP_LAYER_FILES, ...SPEC_FILES],
    rules: { 'no-restricted-syntax': ['error', HTTP_STATUS_IN_DOMAIN] },
  },
  {
    files: ['**/*.spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
