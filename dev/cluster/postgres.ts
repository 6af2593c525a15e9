/**
 * PostgreSQL 15 for the cluster profile (DESIGN.md §7–8): Debian's binaries, a data folder of the profile's own made
 * by `initdb`, TCP on 127.0.0.1 only, no Unix socket and no system service. PostgreSQL refuses to run as root, so
 * a root caller runs it as the `postgres` user Debian's package creates.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chown, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import { tcpReachable } from '../../harness/ports';
import { launch, type LaunchedServer, type LogSink } from '../../harness/servers';

export interface PostgresOptions {
  binDir: string;
  dataDir: string;
  port: number;
  /** Password of the `temporal` superuser, set at `initdb`. */
  password: string;
  log?: LogSink;
}

export type PostgresServer = LaunchedServer & { port: number };

const USER = 'temporal';

/** The system user PostgreSQL runs as: `postgres` when we are root, ourselves otherwise. */
function runAs(): string | undefined {
  return userInfo().uid === 0 ? 'postgres' : undefined;
}

/**
 * Where the data folder can be: `preferred` when the user PostgreSQL runs as can reach it. A clone inside a private
 * folder (a home directory, `mktemp -d`) cannot be reached by `postgres`; its data then goes to a folder of its own
 * under /var/tmp, named after `preferred` so each clone keeps its own and finds it again on the next start.
 */
export async function postgresDataDir(preferred: string): Promise<string> {
  const user = runAs();
  if (!user) return preferred;
  const parent = path.dirname(preferred);
  await mkdir(parent, { recursive: true });
  const reachable = await run('test', ['-x', parent], user).then(
    () => true,
    () => false,
  );
  if (reachable) return preferred;
  const id = createHash('sha256').update(path.resolve(preferred)).digest('hex').slice(0, 12);
  const fallback = path.join('/var/tmp', `xinfang-postgres-${id}`);
  await mkdir(fallback, { recursive: true, mode: 0o755 });
  return path.join(fallback, 'data');
}

/** Makes the data folder with `initdb` unless it holds a cluster already. */
export async function initPostgres(opts: PostgresOptions): Promise<boolean> {
  if (await exists(path.join(opts.dataDir, 'PG_VERSION'))) return false;
  await rm(opts.dataDir, { recursive: true, force: true });
  await mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  const user = runAs();
  const passwordFile = path.join(opts.dataDir, '..', `.${path.basename(opts.dataDir)}-initdb-password`);
  await writeFile(passwordFile, `${opts.password}\n`, { mode: 0o600 });
  try {
    if (user) {
      const { uid, gid } = await postgresIds(user);
      await chown(opts.dataDir, uid, gid);
      await chown(passwordFile, uid, gid);
    }
    const args = ['-D', opts.dataDir, '-U', USER, `--pwfile=${passwordFile}`, '--auth=scram-sha-256'];
    args.push('--encoding=UTF8', '--no-locale', '--no-instructions');
    await run(path.join(opts.binDir, 'initdb'), args, user);
  } finally {
    await rm(passwordFile, { force: true });
  }
  return true;
}

/** Starts the server on 127.0.0.1:`port`; a graceful stop is PostgreSQL's fast shutdown (SIGINT). */
export async function startPostgres(opts: PostgresOptions): Promise<PostgresServer> {
  const args = ['-D', opts.dataDir, '-p', String(opts.port), '-c', 'listen_addresses=127.0.0.1'];
  // Four Temporal processes hold up to 30 connections each (deploy/temporal/server.yaml).
  args.push('-c', 'unix_socket_directories=', '-c', 'max_connections=200', '-c', 'log_min_messages=warning');
  const server = await launch(
    'PostgreSQL',
    path.join(opts.binDir, 'postgres'),
    args,
    opts.log,
    async () => {
      await tcpReachable(opts.port);
      await run(path.join(opts.binDir, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(opts.port)]);
    },
    { user: runAs(), stopSignal: 'SIGINT' },
  );
  return { ...server, port: opts.port };
}

async function postgresIds(user: string): Promise<{ uid: number; gid: number }> {
  const output = await run('id', ['-u', user]).then(async (uid) => ({ uid, gid: await run('id', ['-g', user]) }));
  return { uid: Number(output.uid.trim()), gid: Number(output.gid.trim()) };
}

function run(bin: string, args: string[], user?: string): Promise<string> {
  const command = user ? ['setpriv', `--reuid=${user}`, `--regid=${user}`, '--init-groups', '--', bin] : [bin];
  return new Promise((resolve, reject) => {
    const [file, ...rest] = command as [string, ...string[]];
    const child = spawn(file, [...rest, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${path.basename(bin)} ${args.join(' ')} failed (exit code ${code}): ${output.trim()}`));
    });
  });
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
