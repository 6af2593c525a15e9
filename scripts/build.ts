/**
 * `npm run build`: the production build in dist/. tsc compiles the production folders (tsconfig.build.json; the
 * JSON they import comes along), and the workflow code is bundled once here into dist/workflow-bundle.js, which the
 * compiled worker loads (worker/worker.ts). `node dist/worker/main.js` and `node dist/api/main.js` then start with
 * neither tsx nor webpack.
 *
 *   npx tsx scripts/build.ts [--out=<folder>]     another folder than dist/ (test/production-build.test.ts)
 *
 * The output folder is emptied first: a module deleted from the source must not linger in the image.
 */
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { bundleWorkflowCode } from '@temporalio/worker';
import { PREBUILT_BUNDLE_FILE, WORKFLOW_BUNDLE_OPTIONS } from '../worker/worker';

const REPO_ROOT = path.resolve(__dirname, '..');
export const DIST_DIR = path.join(REPO_ROOT, 'dist');

export async function buildProduction(outDir = DIST_DIR): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const tsc = require.resolve('typescript/bin/tsc');
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir], {
      cwd: REPO_ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    // tsc reports type errors on stdout.
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`tsc failed:\n${stdout ?? ''}${stderr ?? ''}`, { cause: error });
  }
  const { code } = await bundleWorkflowCode(WORKFLOW_BUNDLE_OPTIONS);
  await writeFile(path.join(outDir, PREBUILT_BUNDLE_FILE), code);
}

if (require.main === module) {
  const out = process.argv.find((arg) => arg.startsWith('--out='))?.slice('--out='.length);
  const outDir = out ? path.resolve(out) : DIST_DIR;
  const started = Date.now();
  buildProduction(outDir).then(
    () => console.log(`built ${path.relative(process.cwd(), outDir) || '.'} in ${Date.now() - started} ms`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
