// Lint: TypeScript rules plus the architecture, enforced: apps never import apps, libraries never
// import apps, contracts import nothing of ours, and every library is imported through its index.
import js from '@eslint/js';
import { createProjectGraphAsync } from '@nx/devkit';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// @nx/enforce-module-boundaries reads the project graph Nx cached; with none (a fresh clone, a
// cleared .nx) it only warns "No cached ProjectGraph is available. The rule will be skipped" and the
// boundaries go unchecked. Computing the graph here (Nx caches it) makes `npx eslint` enforce them
// on its own, without an `nx` command first.
await createProjectGraphAsync({ exitOnError: true });

// type:testing holds test helpers only (their specs use them); it depends on contracts and the
// sandbox alone, so no cycle. type:sandbox (local Slack, SMTP, Salesforce, HubSpot) depends on nothing
// of ours: the demo and the specs (through testing) use it.
const allowed = {
  'type:contracts': [],
  'type:sandbox': [],
  'type:util': ['type:contracts', 'type:util', 'type:testing'],
  // A data-access library may build on another one (crm on db's repositories); cycles are still refused by the build.
  'type:data-access': ['type:contracts', 'type:util', 'type:data-access', 'type:testing'],
  'type:nest': ['type:contracts', 'type:util', 'type:data-access', 'type:testing'],
  'type:tooling': ['type:contracts', 'type:util', 'type:data-access', 'type:testing', 'type:sandbox'],
  // Test helpers stand below everything they help test, so that every library's specs can use them.
  'type:testing': ['type:contracts', 'type:sandbox'],
  'type:app': ['type:contracts', 'type:util', 'type:data-access', 'type:nest', 'type:tooling', 'type:testing', 'type:sandbox'],
};

const INDEX_ONLY = { group: ['@churn/*/*'], message: 'Import a library through its index: @churn/<lib>.' };
// The five services may depend on type:testing and type:sandbox for their specs only (the tags above
// cannot tell a spec from the service's code): their running code never imports test helpers, the
// local Slack/SMTP/CRM fakes or a spec's support file.
const SERVICES = ['ingest', 'scorer', 'alerting', 'crm-sync', 'monitoring'];
const SPEC_FILES = ['**/*.spec.ts', '**/*-spec-support.ts', '**/*-spec-fixtures.ts', '**/*.builders.ts'];

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
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            ...Object.entries(allowed).map(([sourceTag, onlyDependOnLibsWithTags]) => ({ sourceTag, onlyDependOnLibsWithTags })),
            // Only the command line starts Kafka and Postgres itself (type:tooling); services are handed their URLs.
            { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['scope:shared'] },
            ...['ingest', 'scorer', 'alerting', 'crm-sync', 'monitoring'].map((scope) => ({
              sourceTag: `scope:${scope}`,
              onlyDependOnLibsWithTags: ['scope:shared'],
              notDependOnLibsWithTags: ['type:tooling'],
            })),
          ],
        },
      ],
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
          paths: ['@churn/testing', '@churn/sandbox'].map((name) => ({ name, message: `${name} is for specs: a service's running code must not depend on it.` })),
          patterns: [INDEX_ONLY, { group: ['**/*-spec-support', '**/*-spec-fixtures', '**/*.builders'], message: "A spec's support file is for specs only." }],
        },
      ],
    },
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
