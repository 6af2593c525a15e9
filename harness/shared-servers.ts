/**
 * What a suite needs to reach the servers test/env/global-setup.ts started (through the XINFANG_TEST_* variables,
 * which the benchmark sets for its own servers): a fresh database, a client for the shared Temporal dev server, a
 * time-skipping environment, and unique names so suites never see each other's data.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection } from '@temporalio/worker';
import mongoose from 'mongoose';
import { loadEnv, type Env } from '../config/env';
import { createStore, type Store } from '../store/models';

/** Fixed so failures reproduce; ≥32 characters like XINFANG_SECRET. */
export const testSecret = 'xinfang-test-secret-not-for-production-0123456789';

/** `prefix-<random>`: task queues, databases and IDs that no other suite or run shares. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run suites through jest, whose globalSetup starts the servers`);
  return value;
}

/** `mongodb://host:port/anything?options` → `mongodb://host:port/<dbName>?options`; `''` leaves the database out. */
export function withDatabase(url: string, dbName: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)\/?[^?]*(\?.*)?$/.exec(url);
  if (!match?.[1]) throw new Error(`MONGO_URL=${url} is not a mongodb:// URL`);
  return `${match[1]}/${dbName}${match[2] ?? ''}`;
}

/** The test MongoDB URL for one database, keeping any options of the base URL. */
export function testMongoUrl(dbName: string): string {
  return withDatabase(required('XINFANG_TEST_MONGO_URL'), dbName);
}

/** Models on a database of their own; close() drops it. */
export async function connectTestStore(): Promise<{ store: Store; dbName: string; close: () => Promise<void> }> {
  // FerretDB accepts only letters, digits, `_` and `-` in database names, at most 63 characters.
  const dbName = uniqueName('test');
  const connection = await mongoose
    .createConnection(testMongoUrl(dbName), { serverSelectionTimeoutMS: 5_000 })
    .asPromise();
  const store = createStore(connection);
  return {
    store,
    dbName,
    close: async () => {
      await connection.dropDatabase();
      await connection.close();
    },
  };
}

export interface DevServerConnection {
  connection: Connection;
  client: Client;
  /** For workers. */
  nativeConnection: NativeConnection;
  namespace: string;
  close: () => Promise<void>;
}

/** Connections to the Temporal dev server the whole run shares; give each suite its own task queue. */
export async function devServerConnection(
  server: { address: string; namespace: string } = {
    address: required('XINFANG_TEST_TEMPORAL_ADDRESS'),
    namespace: required('XINFANG_TEST_TEMPORAL_NAMESPACE'),
  },
): Promise<DevServerConnection> {
  const { address, namespace } = server;
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  return {
    connection,
    client: new Client({ connection, namespace }),
    nativeConnection,
    namespace,
    close: async () => {
      await nativeConnection.close();
      await connection.close();
    },
  };
}

/** A time-skipping server of its own (a JVM, a few seconds to start): for clocks measured in days. */
export function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: required('XINFANG_TEST_SERVER_BIN') } },
  });
}

/** Settings as the worker and API read them, pointed at the test servers. */
export function testEnv(overrides: Partial<Record<keyof Env, string>> = {}): Env {
  return loadEnv({
    TEMPORAL_ADDRESS: required('XINFANG_TEST_TEMPORAL_ADDRESS'),
    TEMPORAL_NAMESPACE: required('XINFANG_TEST_TEMPORAL_NAMESPACE'),
    MONGO_URL: testMongoUrl(uniqueName('test')),
    // Workflows a previous suite left running must not land on this suite's worker.
    TEMPORAL_TASK_QUEUE: uniqueName('cases'),
    XINFANG_SECRET: testSecret,
    LOG_LEVEL: 'warn',
    ...overrides,
  });
}
