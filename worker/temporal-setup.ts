/**
 * What a Temporal server needs before case workers start on it: the namespace and the search attributes of
 * domain/search-attributes.ts (DESIGN.md §6). Idempotent, so it runs before every start of the cluster profile and
 * as docker-compose.yml's one-shot setup; the dev server gets the same attributes from its command line.
 */
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../domain/search-attributes';

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;

const TYPES: Record<(typeof SEARCH_ATTRIBUTES)[number]['type'], temporal.api.enums.v1.IndexedValueType> = {
  Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  KeywordList: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  Int: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  Bool: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
};

/** Creates the namespace unless it exists; a new namespace takes a few seconds to reach every frontend. */
export async function ensureNamespace(connection: Connection, namespace: string, retentionDays: number): Promise<void> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      description: 'Xinfang cases',
      workflowExecutionRetentionPeriod: msToTs(`${retentionDays} days`),
    });
  } catch (error) {
    // Another setup run got there first.
    if (!isAlreadyExists(error)) throw error;
  }
  await until(`namespace ${namespace} to be served`, async () => {
    await connection.workflowService.describeNamespace({ namespace });
  });
}

/**
 * Registers every attribute that is missing, and fails on one registered with another type (the workflows would set
 * it and be refused). Returns the names it added.
 */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const current = async () =>
    (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
  // Right after the namespace is created its attribute list may still be refused.
  let existing: Record<string, temporal.api.enums.v1.IndexedValueType> = {};
  await until(`the search attributes of ${namespace}`, async () => {
    existing = await current();
  });
  const missing: Record<string, temporal.api.enums.v1.IndexedValueType> = {};
  for (const { name, type } of SEARCH_ATTRIBUTES) {
    const registered = existing[name];
    if (registered === undefined) missing[name] = TYPES[type];
    else if (registered !== TYPES[type]) {
      throw new Error(
        `search attribute ${name} is registered as ${IndexedValueType[registered]} in ${namespace}, ` +
          `but the case workflows set it as ${type}`,
      );
    }
  }
  if (Object.keys(missing).length === 0) return [];
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  }
  await until('the new search attributes to be listed', async () => {
    const now = await current();
    const absent = Object.keys(missing).filter((name) => now[name] === undefined);
    if (absent.length > 0) throw new Error(`not yet listed: ${absent.join(', ')}`);
  });
  return Object.keys(missing);
}

function grpcCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

const isNotFound = (error: unknown) => grpcCode(error) === 5;
const isAlreadyExists = (error: unknown) => grpcCode(error) === 6;

async function until(what: string, attempt: () => Promise<void>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await attempt();
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}: ${(error as Error).message}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
