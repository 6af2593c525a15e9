/**
 * The trivial workflow the benchmark compares the case engine against: an update with a validator, then it waits.
 * Whatever a case costs above this is the case engine's own work.
 */
import { condition, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';

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
