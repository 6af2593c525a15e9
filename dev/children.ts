/**
 * The worker and the API as child processes of the cluster profile, the fault suite and the production-build test,
 * so that `kill -9` ends a real process and a restart is a cold start (new connections, a new workflow bundle, an
 * empty key cache).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import { parentDeathWrapper } from '../harness/servers';

const REPO_ROOT = path.resolve(__dirname, '..');

export interface ChildSpec {
  name: string;
  /** Source script relative to the repository root, run by node with tsx's loader unless `build` is given. */
  script: string;
  /** A production build (`npm run build`'s dist/): run the script's compiled form from it with plain node instead. */
  build?: string;
  env: Record<string, string>;
  logFile: string;
}

/** A restartable child process; `unexpectedExits` counts the times it ended without being told to. */
export class Child {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private expectingExit = false;
  private readonly log: WriteStream;
  unexpectedExits: string[] = [];
  starts = 0;

  constructor(private readonly spec: ChildSpec) {
    this.log = createWriteStream(spec.logFile, { flags: 'a' });
  }

  get name(): string {
    return this.spec.name;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    if (this.child) throw new Error(`${this.spec.name} is already running`);
    this.starts += 1;
    this.expectingExit = false;
    this.log.write(`\n── start #${this.starts} at ${new Date().toISOString()} ──\n`);
    // `node --import tsx` rather than `npx tsx`: tsx's CLI runs the script in a grandchild, and SIGKILL to the CLI
    // would leave the real worker running. Here the pid is the process that polls Temporal.
    // The parent-death wrapper execs node in place, so a supervisor that dies takes its children along.
    const entry = this.spec.build
      ? [path.join(this.spec.build, this.spec.script.replace(/\.ts$/, '.js'))]
      : ['--import', 'tsx', this.spec.script];
    const [command = process.execPath, ...args] = [...parentDeathWrapper(), process.execPath, ...entry];
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, ...this.spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(this.log, { end: false });
    child.stderr.pipe(this.log, { end: false });
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        const how = signal ? `killed by ${signal}` : `exit code ${code}`;
        this.log.write(`── ended: ${how} ──\n`);
        if (this.child === child) this.child = undefined;
        if (!this.expectingExit) {
          this.unexpectedExits.push(`${new Date().toISOString()} ${how}`);
          // As a process supervisor would: the run goes on, and the exit is reported.
          setTimeout(() => {
            if (!this.child && !this.expectingExit) this.start();
          }, 2_000);
        }
        resolve();
      });
    });
  }

  /** Ends the process with `signal` and waits until it is gone (SIGKILL after 15 s for a graceful signal). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.expectingExit = true;
    child.kill(signal);
    const escalate = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(escalate);
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Synchronous, for process 'exit': no child may outlive the suite. */
  killNow(): void {
    this.expectingExit = true;
    this.child?.kill('SIGKILL');
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.log.end(() => resolve()));
  }
}
