/**
 * The third-party Open311 client `georeport` from PyPI, in a virtualenv under the tool cache
 * (`${XINFANG_CACHE:-~/.cache/xinfang}/georeport-<version>`), created once as tools/provision.sh creates its venvs:
 * in a temporary directory beside it, renamed into place when complete.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Pinned: the newest release on PyPI when the test was written. */
export const GEOREPORT_VERSION = '0.3.1';

/** The venv's python with georeport importable; a clear error when the venv cannot be made. */
export async function georeportPython(): Promise<string> {
  const cache = process.env.XINFANG_CACHE ?? path.join(os.homedir(), '.cache', 'xinfang');
  const venv = path.join(cache, `georeport-${GEOREPORT_VERSION}`);
  const python = path.join(venv, 'bin', 'python');
  if (existsSync(python)) return python;
  await mkdir(cache, { recursive: true });
  const tmp = await mkdtemp(path.join(cache, `.georeport-${GEOREPORT_VERSION}.tmp.`));
  const base = process.env.PYTHON ?? 'python3';
  try {
    await run(base, ['-m', 'venv', tmp], { timeout: 120_000 }).catch((error: Error) => {
      throw new Error(
        `${base} -m venv failed; the georeport test needs Python 3 with venv (Debian: apt-get install python3-venv): ${error.message}`,
      );
    });
    await run(
      path.join(tmp, 'bin', 'python'),
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `georeport==${GEOREPORT_VERSION}`],
      { timeout: 300_000 },
    ).catch((error: Error) => {
      throw new Error(`pip install georeport==${GEOREPORT_VERSION} from PyPI failed: ${error.message}`);
    });
    // Another run may have finished first: its venv is as good as this one. A folder there without its python is
    // no venv (two runs once left one, holding pip's installed packages and nothing else): this one replaces it.
    await rename(tmp, venv).catch(async (error: unknown) => {
      if (existsSync(python)) return rm(tmp, { recursive: true, force: true });
      if (!existsSync(venv)) throw error;
      await rm(venv, { recursive: true, force: true });
      await rename(tmp, venv);
    });
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
  return python;
}
