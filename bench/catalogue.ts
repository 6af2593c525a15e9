/**
 * The message catalogue as the case workflow uses it: every case has a module cache of its own in the worker's
 * context, so the workflow bundle's modules are evaluated again for each case (the catalogue's among them) before it
 * renders its first summary. This bundles test/env/catalogue-workflow.ts (reminder labels, a reply's wording, a pause, a review notice) the way the
 * worker bundles workflow code, for this tree and, with `--before`, another tree (a worktree of an earlier commit,
 * with node_modules), and measures both alternately in one process:
 *
 * - a case's start: a module cache of its own, the bundle's modules evaluated into it, the samples rendered once;
 * - renders in a warm context: the samples rendered again and again.
 *
 *   git worktree add /tmp/before <commit> && ln -s "$PWD/node_modules" /tmp/before/node_modules
 *   npm run bench:catalogue -- --before=/tmp/before [--rounds=200] [--renders=2000]
 *
 * Times are medians of `--rounds`. Nothing fails on slowness; texts that differ between the trees fail the run.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import vm from 'node:vm';
import { bundleWorkflowCode } from '@temporalio/worker';
import { median, option, ratio, round } from './run/helpers';

type Lang = 'zh-CN' | 'en';
interface Samples {
  catalogueSamples(lang: Lang): string[];
}
interface Tree {
  name: string;
  /** The worker's reusable context: the bundle evaluated once, every case's modules in it. */
  context: vm.Context;
  /** The module cache of the case running now; modules loaded before any case stay shared, as in the worker. */
  caseModules: { current: Map<string | symbol, unknown> | undefined };
}

const SAMPLES_MODULE = path.join('test', 'env', 'catalogue-workflow.ts');
const quiet = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };
function noop(): void {}

/**
 * The workflow bundle evaluated in a context of its own whose module cache is shared until a case starts and the
 * case's own after that, as `ReusableVMWorkflowCreator` (@temporalio/worker) routes `__webpack_module_cache__`.
 */
async function load(name: string, root: string): Promise<Tree> {
  const { code } = await bundleWorkflowCode({ workflowsPath: path.join(root, SAMPLES_MODULE), logger: quiet });
  const shared = new Map<string | symbol, unknown>();
  const caseModules: Tree['caseModules'] = { current: undefined };
  const cache = new Proxy(
    {},
    {
      get: (_, id) => shared.get(id) ?? caseModules.current?.get(id),
      set: (_, id, value) => {
        (caseModules.current ?? shared).set(id, value);
        return true;
      },
    },
  );
  const context = vm.createContext({});
  Object.defineProperty(context, '__webpack_module_cache__', { value: cache });
  new vm.Script(code, { filename: `${name}-catalogue-bundle.js` }).runInContext(context);
  return { name, context, caseModules };
}

/** A case's start: a module cache of its own, the workflow module imported into it and everything it imports. */
function start(tree: Tree): Samples {
  tree.caseModules.current = new Map();
  const temporal = (tree.context as { __TEMPORAL__: { importWorkflows(): Samples } }).__TEMPORAL__;
  return temporal.importWorkflows();
}

function caseStart(tree: Tree): { ms: number; texts: string[] } {
  const began = performance.now();
  const texts = start(tree).catalogueSamples('zh-CN');
  return { ms: performance.now() - began, texts };
}

function warmRenders(samples: Samples, renders: number): number {
  const began = performance.now();
  for (let i = 0; i < renders; i++) samples.catalogueSamples(i % 2 === 0 ? 'zh-CN' : 'en');
  return (performance.now() - began) / renders;
}

async function main(): Promise<void> {
  const rounds = option('rounds', 200);
  const renders = option('renders', 2000);
  const beforeRoot = process.argv.find((arg) => arg.startsWith('--before='))?.slice('--before='.length);
  const trees = [await load('this tree', path.resolve(__dirname, '..'))];
  if (beforeRoot) trees.unshift(await load('before', path.resolve(beforeRoot)));

  const texts = trees.map((tree) => caseStart(tree).texts);
  for (const lang of ['zh-CN', 'en'] as const) {
    const rendered = trees.map((tree) => JSON.stringify(start(tree).catalogueSamples(lang)));
    if (new Set(rendered).size !== 1)
      throw new Error(`the trees render different ${lang} texts: ${rendered.join(' ≠ ')}`);
  }

  const starts = trees.map(() => [] as number[]);
  const warm = trees.map(() => [] as number[]);
  const warmContexts = trees.map(start);
  for (let round = 0; round < rounds; round++) {
    // Alternate which tree goes first, so neither always runs on the other's garbage.
    const order = round % 2 === 0 ? trees.map((_, i) => i) : trees.map((_, i) => trees.length - 1 - i);
    for (const i of order) starts[i]!.push(caseStart(trees[i]!).ms);
    if (round % 10 === 0) for (const i of order) warm[i]!.push(warmRenders(warmContexts[i]!, renders / 10));
  }

  console.log(
    `catalogue bench: ${rounds} case starts a side, ${renders / 10} warm renders of the ${texts[0]!.length} samples ` +
      `× ${Math.ceil(rounds / 10)}; node ${process.version}`,
  );
  console.log('| tree | case start (modules evaluated, samples rendered) ms | warm samples µs |');
  console.log('|---|---|---|');
  for (const [i, tree] of trees.entries()) {
    console.log(`| ${tree.name} | ${round(median(starts[i]!), 2)} | ${round(median(warm[i]!) * 1000, 1)} |`);
  }
  if (trees.length === 2) {
    console.log(
      `before ÷ this tree: case start ${ratio(median(starts[0]!), median(starts[1]!))}×, ` +
        `warm samples ${ratio(median(warm[0]!), median(warm[1]!))}×; the same texts in both languages`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
