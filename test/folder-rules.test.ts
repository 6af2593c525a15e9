/**
 * The folder rules of eslint.config.mjs bite: an import of the harness (or a test, a benchmark, a script) from each
 * production folder is an error, and the same import from a test is not. Linted as text through ESLint's API in a
 * child process (the config is an ES module), with only `no-restricted-imports` on, so no type information is needed.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const PRODUCTION_FOLDERS = [
  'activities',
  'api',
  'api/open311',
  'config',
  'demo',
  'domain',
  'domain/notices',
  'notices',
  'outbound',
  'similarity',
  'store',
  'worker',
  'workflows',
];

const LINT = `
import { ESLint } from 'eslint';
const eslint = new ESLint({
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
});
const answers = [];
for (const { filePath, code } of JSON.parse(process.env.PROBES)) {
  const [result] = await eslint.lintText(code, { filePath });
  answers.push(result.messages.map((m) => m.message));
}
console.log(JSON.stringify(answers));
`;

interface Probe {
  filePath: string;
  code: string;
}

/** The `no-restricted-imports` messages for each probe, in order. */
function lint(probes: Probe[]): string[][] {
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', LINT], {
    cwd: path.resolve(__dirname, '..'),
    env: { ...process.env, PROBES: JSON.stringify(probes) },
    encoding: 'utf8',
  });
  return JSON.parse(output) as string[][];
}

/** A file in `folder` importing `target` (a path from the repository root). */
function probe(folder: string, target: string): Probe {
  const up = '../'.repeat(folder.split('/').length);
  return { filePath: `${folder}/lint-probe.ts`, code: `import { x } from '${up}${target}';\nexport const y = x;\n` };
}

describe('folder rules', () => {
  const fromProduction = PRODUCTION_FOLDERS.map((folder) => probe(folder, 'harness/case-stack'));
  const others = {
    apiImportsTest: probe('api', 'test/env/rejections'),
    workerImportsBench: probe('worker', 'bench/run/stack'),
    testImportsHarness: probe('test', 'harness/case-stack'),
    benchImportsHarness: probe('bench/run', 'harness/case-stack'),
  };
  let answers: string[][];
  let other: Record<keyof typeof others, string[]>;

  beforeAll(() => {
    answers = lint([...fromProduction, ...Object.values(others)]);
    const rest = answers.slice(fromProduction.length);
    other = Object.fromEntries(Object.keys(others).map((name, i) => [name, rest[i]!])) as typeof other;
  }, 60_000);

  it.each(PRODUCTION_FOLDERS.map((folder, i) => [folder, i] as const))('%s/ may not import harness/', (_folder, i) => {
    expect(answers[i]).toContainEqual(expect.stringContaining('the harness'));
  });

  it('keeps production code from tests and benchmarks too', () => {
    expect(other.apiImportsTest).toHaveLength(1);
    expect(other.workerImportsBench).toHaveLength(1);
  });

  it('lets tests and the benchmark import harness/', () => {
    expect(other.testImportsHarness).toEqual([]);
    expect(other.benchImportsHarness).toEqual([]);
  });

  it("keeps Open311's translation pure, and lets its routes do the I/O", () => {
    const translate = (target: string) => ({
      filePath: 'api/open311/translate.ts',
      code: `import { x } from '${target}';\nexport const y = x;\n`,
    });
    const impure = ['express', '../../store/models', '@temporalio/client', 'node:fs', 'mongoose', '../intake'];
    const pure = ['../../domain/i18n', '../schemas', './catalogue', 'zod'];
    const answers = lint([...impure, ...pure].map(translate));
    impure.forEach((target, i) =>
      expect({ target, messages: answers[i] }).toEqual({ target, messages: [expect.stringContaining('is pure')] }),
    );
    pure.forEach((target, i) =>
      expect({ target, messages: answers[impure.length + i] }).toEqual({ target, messages: [] }),
    );
    // The routes beside it read the store, and none may reach the worker.
    const [route, worker] = lint([probe('api/open311', 'store/models'), probe('api/open311', 'worker/worker')]);
    expect(route).toEqual([]);
    expect(worker).toEqual([expect.stringContaining('the worker')]);
  }, 60_000);
});
