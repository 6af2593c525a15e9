import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import type { Env } from './env';

/**
 * How the API, the worker and the setup reach the Temporal frontend: its address and, when TEMPORAL_TLS_CERT is
 * set, mutual TLS with this process's certificate (docs: README "Running in production"). The files are read once
 * at start; a renewed certificate takes a restart.
 */
export function temporalConnectionOptions(env: Env): { address: string; tls?: TLSConfig } {
  if (!env.TEMPORAL_TLS_CERT || !env.TEMPORAL_TLS_KEY) return { address: env.TEMPORAL_ADDRESS };
  const read = (name: string, file: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new Error(`${name}=${file} cannot be read: ${(error as Error).message}`, { cause: error });
    }
  };
  return {
    address: env.TEMPORAL_ADDRESS,
    tls: {
      clientCertPair: {
        crt: read('TEMPORAL_TLS_CERT', env.TEMPORAL_TLS_CERT),
        key: read('TEMPORAL_TLS_KEY', env.TEMPORAL_TLS_KEY),
      },
      serverRootCACertificate: env.TEMPORAL_TLS_CA ? read('TEMPORAL_TLS_CA', env.TEMPORAL_TLS_CA) : undefined,
      serverNameOverride: env.TEMPORAL_TLS_SERVER_NAME,
    },
  };
}
