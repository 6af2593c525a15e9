/**
 * The activity of bench/baseline-workflows.ts's registrationBaseline: the record write a case's registration makes
 * (recordCase unseals the intake and writes it to MongoDB), without the case engine's own work around it.
 */
import type { Connection } from 'mongoose';
import type { Sealer } from '../store/sealed';
import type { BaselineActivities, RegistrationBaselineInput } from './baseline-workflows';

export const BASELINE_RECORDS = 'bench_registrations';

export function baselineActivities(deps: { mongo: Connection; sealer: Sealer }): BaselineActivities {
  return {
    async writeRecord(input: RegistrationBaselineInput): Promise<void> {
      const record = deps.sealer.unseal<Record<string, unknown>>(input.sealedRecord);
      // Idempotent like recordCase: a retried write finds its document there and succeeds.
      await deps.mongo
        .collection<{ _id: string }>(BASELINE_RECORDS)
        .updateOne({ _id: input.id }, { $setOnInsert: record }, { upsert: true });
    },
  };
}
