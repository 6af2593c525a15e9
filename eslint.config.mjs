import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

/** Production code never reaches into the harnesses that drive it. */
const HARNESSES = {
  regex: '^(\\.\\./)+(test|bench|faults|scripts|dev|harness)(/|$)',
  message: 'Production code does not import tests, benchmarks, the fault suite, scripts, the dev stack or the harness.',
};

/** Node built-ins, by either name. */
const deterministic = [
  {
    regex: `^(node:)?(${nodeBuiltins.map((m) => m.replace('/', '\\/')).join('|')})$`,
    message: 'Workflow and domain code must stay deterministic: no Node built-ins.',
  },
];

/** The packages domain/ may use: schemas, the catalogue and the State Council's holiday data. */
const domainPackages = [
  {
    regex: '^(?!\\.|zod$|@asteasolutions/zod-to-openapi$|i18next$|chinese-days/|@temporalio/common$)',
    message: 'domain/ is pure: zod, i18next, chinese-days and @temporalio/common only.',
  },
];

/** An import that leaves domain/ from a file `up` below the repository root. */
function outsideDomain(up) {
  return { regex: `^${up.replaceAll('.', '\\.')}(?!domain/)[^.]`, message: 'domain/ imports nothing outside domain/.' };
}

/** The API's layer: it reads MongoDB and talks to Temporal, but the activities and the worker are not its to call. */
const API_LAYER = {
  regex: '^(\\.\\./)+(activities|worker)(/|$)',
  message: 'The API does not import the activities or the worker; shared code lives in store/, outbound/ or domain/.',
};

/** Open311's translation is pure: requests and records in, intake bodies and public views out; the routes do the I/O. */
const PURE_TRANSLATION = {
  regex: `^((node:)?(${nodeBuiltins.map((m) => m.replace('/', '\\/')).join('|')})|express|mongoose|mongodb|@temporalio/.*|(\\.\\./)+(store|workflows|outbound)(/.*)?|\\.\\./(app|auth|intake|limits|language|route|routes))$`,
  message: 'api/open311/translate.ts is pure: no Express, store, Temporal or Node built-ins; its routes do the I/O.',
};

function restrict(...patterns) {
  return ['error', { patterns: [HARNESSES, ...patterns] }];
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'test/output/**', 'jest.config.js', 'eslint.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Folder rules (README "Code layout"): who may import whom. One `no-restricted-imports` per file, composed here,
  // because a later config object replaces an earlier one's options for the same rule.
  {
    files: ['activities/**/*.ts', 'store/**/*.ts', 'similarity/**/*.ts', 'notices/**/*.ts', 'worker/**/*.ts'],
    rules: { 'no-restricted-imports': restrict() },
  },
  {
    files: ['config/**/*.ts', 'outbound/**/*.ts', 'demo/**/*.ts'],
    rules: { 'no-restricted-imports': restrict() },
  },
  {
    // The API reads and writes MongoDB and talks to Temporal; the activities and the worker are not its to call.
    files: ['api/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(API_LAYER) },
  },
  {
    files: ['api/open311/translate.ts'],
    rules: { 'no-restricted-imports': restrict(API_LAYER, PURE_TRANSLATION) },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: its own folder, domain/, the Temporal workflow SDK and
    // the activities' types; no Node built-ins, no I/O libraries.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        ...deterministic,
        {
          regex: '^(?!\\.|@temporalio/(workflow|common)(/|$))',
          message: 'Workflow code imports only @temporalio/workflow, @temporalio/common, domain/ and its own folder.',
        },
        {
          regex: '^\\.\\./(?!domain/|activities(/|$))',
          message: 'Workflow code imports only domain/, its own folder and the activities (as types).',
        },
        {
          regex: '^\\.\\./activities(/|$)',
          message: 'Workflow code imports the activities as types only (`import type`): they run in the worker.',
          allowTypeImports: true,
        },
      ),
    },
  },
  {
    // domain/ is pure: rules, calendars, routing, the catalogue and notices as data. It imports nothing of the project
    // outside itself and no I/O; workflow code and everything else build on it.
    files: ['domain/*.ts'],
    rules: { 'no-restricted-imports': restrict(...deterministic, ...domainPackages, outsideDomain('../')) },
  },
  {
    files: ['domain/*/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(...deterministic, ...domainPackages, outsideDomain('../../')) },
  },
  {
    // Tests read HTTP answers (`res.body` is `any`) and assert on them; type-unsafe access there is the point.
    files: ['test/**/*.ts', 'harness/**/*.ts', 'bench/**/*.ts', 'dev/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
