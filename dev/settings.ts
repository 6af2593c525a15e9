/** Settings the dev stack and the cluster profile share: ports from the environment, values kept between runs. */
import { readFile, writeFile } from 'node:fs/promises';

export function portSetting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name}=${raw} is not a port number`);
  return port;
}

/**
 * A generated value kept in a file so that restarts reuse it (a secret, a key, a password); readable only by its
 * owner. `onGenerated` hears about a new one.
 */
export async function persisted(
  file: string,
  generate: () => string,
  onGenerated?: (file: string) => void,
): Promise<string> {
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const value = generate();
  await writeFile(file, `${value}\n`, { mode: 0o600 });
  onGenerated?.(file);
  return value;
}
