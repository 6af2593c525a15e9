/**
 * Adds every recorded case to the similarity index: for cases recorded before the index existed, and after a change
 * to similarity/thesaurus.json or the weights, into an emptied `similarity_index` collection. The worker indexes new
 * cases itself (recordCase); indexing a case twice adds nothing, so the script can run beside a live worker and be
 * run again after an interruption.
 *
 *   MONGO_URL=mongodb://127.0.0.1:27017/xinfang XINFANG_SECRET=… npx tsx scripts/index-cases.ts
 *
 * The secret must be the one the worker and API use: petitioner and term digests are keyed with it. Empty the
 * collection with the workers stopped, or restart them and the API after: each process remembers which page of a list
 * it last found open, and trusts the full pages it has read for ten minutes (similarity/buckets.ts).
 */
import { loadEnv } from '../config/env';
import { indexCase } from '../similarity/matter-index';
import { recordSource } from '../similarity/repeats';
import { connectStore, type CaseDoc } from '../store/models';
import { Sealer } from '../store/sealed';

async function main(): Promise<void> {
  const env = loadEnv();
  const store = connectStore(env.MONGO_URL);
  const sealer = new Sealer(env.XINFANG_SECRET);
  let indexed = 0;
  try {
    // One pass over the records, in _id order; a batch at a time keeps memory flat.
    for await (const record of store.cases.find().sort({ _id: 1 }).lean<CaseDoc[]>().cursor({ batchSize: 500 })) {
      await indexCase({ store, sealer }, recordSource(record));
      indexed += 1;
      if (indexed % 1000 === 0) console.log(`${indexed} cases indexed`);
    }
    console.log(`done: ${indexed} cases indexed`);
  } finally {
    await store.connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
