/**
 * The trivial workflow the benchmark compares the case engine against: an update with a validator, then it waits.
 * Whatever a case costs above this is the case engine's own work.
 * registrationBaseline is the same for a registration: one write and one timer.
 */
import { condition, defineSignal, defineUpdate, proxyActivities, setHandler, sleep } from '@temporalio/workflow';

export interface PingArgs {
  actionId: string;
  role: string;
}

export const pingUpdate = defineUpdate<{ actionId: string; count: number }, [PingArgs]>('ping');
export const stopSignal = defineSignal('stop');

export async function baselineWorkflow(): Promise<number> {
  let count = 0;
  let stopped = false;
  setHandler(pingUpdate, (args) => ({ actionId: args.actionId, count: ++count }), {
    validator: (args) => {
      if (args.role !== 'office') throw new Error('only the office may ping');
    },
  });
  setHandler(stopSignal, () => {
    stopped = true;
  });
  await condition(() => stopped);
  return count;
}

/** The durable work of a case's registration, and nothing else: one record write, then one timer days away. */
export interface RegistrationBaselineInput {
  id: string;
  sealedRecord: string;
}

export interface BaselineActivities {
  writeRecord(input: RegistrationBaselineInput): Promise<void>;
}

// The same options as the case's store writes (workflows/case-effects.ts): a regular activity, as recordCase is.
const { writeRecord } = proxyActivities<BaselineActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** The bench's registration phase compares a case's registration against this: started, record written, timer armed. */
export async function registrationBaseline(input: RegistrationBaselineInput): Promise<void> {
  await writeRecord(input);
  await sleep('60 days');
}
