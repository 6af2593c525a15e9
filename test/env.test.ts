/** The test environment itself: each server a suite relies on answers, with the setup the suites assume. */
import { SearchAttributeType } from '@temporalio/common';
// Exported by the SDK for tests that check registered search attributes.
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { connectTestStore, devServerConnection, timeSkippingEnv, uniqueName } from '../harness/shared-servers';

const DAY_MS = 24 * 3600_000;

describe('Temporal dev server', () => {
  let dev: Awaited<ReturnType<typeof devServerConnection>>;
  beforeAll(async () => {
    dev = await devServerConnection();
  });
  afterAll(async () => {
    await dev.close();
  });

  test('serves the test namespace', async () => {
    const { namespaceInfo } = await dev.connection.workflowService.describeNamespace({ namespace: dev.namespace });
    expect(namespaceInfo?.name).toBe(dev.namespace);
  });

  test('has the search attributes of DESIGN.md §6', async () => {
    const { customAttributes } = await dev.connection.operatorService.listSearchAttributes({
      namespace: dev.namespace,
    });
    const expected = {
      CaseStage: SearchAttributeType.KEYWORD,
      CaseUnit: SearchAttributeType.KEYWORD_LIST,
      CaseKind: SearchAttributeType.KEYWORD,
      CaseRegion: SearchAttributeType.KEYWORD,
      CaseEscalationLevel: SearchAttributeType.INT,
      CaseNextDeadline: SearchAttributeType.DATETIME,
      CaseOverdue: SearchAttributeType.BOOL,
    };
    for (const [name, type] of Object.entries(expected)) {
      expect({ name, type: customAttributes?.[name] }).toEqual({
        name,
        type: encodeSearchAttributeIndexedValueType(type),
      });
    }
  });
});

describe('FerretDB', () => {
  test('keeps what a store writes, in a database of the suite’s own', async () => {
    const { store, dbName, close } = await connectTestStore();
    try {
      const code = uniqueName('330100-T');
      await store.units.create({ _id: code, name: '测试单位', level: 'city', regionCode: '330100' });
      const found = await store.units.findById(code).lean();
      expect(found).toMatchObject({ _id: code, name: '测试单位', level: 'city' });
      const databases = await store.connection.db!.admin().listDatabases();
      expect(databases.databases.map((db) => db.name)).toContain(dbName);
    } finally {
      await close();
    }
  });
});

describe('time-skipping test server', () => {
  test('skips 30 days in moments', async () => {
    const env = await timeSkippingEnv();
    try {
      const before = await env.currentTimeMs();
      const startedAt = Date.now();
      await env.sleep('30 days');
      expect(Date.now() - startedAt).toBeLessThan(10_000);
      expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(30 * DAY_MS);
    } finally {
      await env.teardown();
    }
  });
});
