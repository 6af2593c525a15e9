import { DEMO_DIRECTORY } from '../demo/directory';
import type { Directory } from '../domain/directory';
import type { Env } from '../config/env';
import { hashKey } from '../store/api-keys';
import { connectStore, type Store } from '../store/models';
import { Sealer } from '../store/sealed';

/** Writes a directory of units and routing rules; existing entries with the same codes are replaced. */
export async function loadDirectory(store: Store, directory: Directory): Promise<void> {
  for (const unit of directory.units) {
    const { code, ...rest } = unit;
    await store.units.updateOne({ _id: code }, { $set: rest }, { upsert: true });
  }
  for (const [order, rule] of directory.rules.entries()) {
    const { id, ...rest } = rule;
    await store.routingRules.updateOne({ _id: id }, { $set: { ...rest, order } }, { upsert: true });
  }
}

const DEMO_KEYS = [
  { role: 'intake', label: 'demo intake desk' },
  { role: 'office', label: 'demo petition office (杭州市信访局)' },
  { role: 'department', unitCode: '330106-GA', label: 'demo department (西湖区公安分局)' },
  { role: 'department', unitCode: '330100-HB', label: 'demo department (杭州市生态环境局)' },
] as const;

/**
 * The dev stack's demo: one city's directory and an API key per role. Keys derive from the secret, so they stay
 * the same across restarts of the same stack.
 */
export async function seedDemo(env: Env): Promise<{ keys: { role: string; unitCode?: string; key: string }[] }> {
  const store = connectStore(env.MONGO_URL);
  const sealer = new Sealer(env.XINFANG_SECRET);
  try {
    await store.connection.asPromise();
    await loadDirectory(store, DEMO_DIRECTORY);
    const keys = [];
    for (const demo of DEMO_KEYS) {
      const unitCode = 'unitCode' in demo ? demo.unitCode : undefined;
      const id = `demo-${demo.role}${unitCode ? `-${unitCode}` : ''}`;
      const key = `xf_demo_${sealer.digest('demo-key', id).toString('base64url').slice(0, 32)}`;
      await store.apiKeys.updateOne(
        { _id: id },
        {
          $set: { hash: hashKey(key), role: demo.role, unitCode, label: demo.label },
          $setOnInsert: { createdAt: new Date() },
        },
        { upsert: true },
      );
      keys.push({ role: demo.role, unitCode, key });
    }
    return { keys };
  } finally {
    await store.connection.close();
  }
}
