/** The end of a run: what differed, what was noticed, the tables, and the one summary line CI and the docs quote. */
import type { Profile } from './common';
import type { Ledger } from './load';
import type { Findings } from './reconcile';
import type { Receiver, System } from './stack';
import { table } from './table';

export interface InjectedFault {
  kind: string;
  name: string;
  recoveredMs: number;
}

/** Prints the report and returns the problems (a run with any fails). */
export function report(opts: {
  system: System;
  profile: Profile;
  ledger: Ledger;
  findings: Findings;
  injected: InjectedFault[];
  expectedKinds: string[];
  receiver: Receiver;
  seconds: number;
}): string[] {
  const { system, profile, ledger, findings, injected, receiver } = opts;
  const missingKinds = opts.expectedKinds.filter((kind) => !injected.some((fault) => fault.kind === kind));
  const problems = [
    ...findings.casesLost.map((f) => `case lost: ${f}`),
    ...findings.actionsLost.map((f) => `action lost: ${f}`),
    ...findings.duplicates.map((f) => `duplicate: ${f}`),
    ...findings.repliesMissing.map((f) => `reply missing: ${f}`),
    ...findings.remindersSkipped.map((f) => `reminder skipped: ${f}`),
    ...ledger.refused.map((f) => `refused: ${f}`),
    ...missingKinds.map((kind) => `fault never injected: ${kind}`),
  ];
  // A request never answered was never acknowledged: nothing was promised, so it is reported, not failed. Its case
  // is listed with where its workflow stands, so a case that is really stuck shows.
  const warnings = [
    ...ledger.gaveUp.map((f) => `never answered within the run: ${f}`),
    ...findings.stuckCases.map((f) => `case with an unanswered action: ${f}`),
  ];
  for (const line of problems.slice(0, 50)) console.log(`  ${line}`);
  if (problems.length > 50) console.log(`  … and ${problems.length - 50} more`);
  for (const line of warnings.slice(0, 20)) console.log(`  warning: ${line}`);

  // Not a failure of the guarantees, but worth knowing: a process that ended on its own was restarted after 2 s.
  for (const child of system.children) {
    for (const exit of child.unexpectedExits)
      console.log(`  note: ${child.name} exited on its own (${exit}) and was restarted`);
  }
  const deliveries = [...receiver.received.values()];
  console.log(
    `  webhooks: ${deliveries.length} notifications received by the unit, ` +
      `${deliveries.filter((n) => n > 1).length} of them more than once (at-least-once delivery after a kill)`,
  );
  if (ledger.answeredBy.length > 1) {
    console.log(`  2xx answers per API replica: ${ledger.answeredBy.map((n, i) => `api-${i + 1} ${n}`).join(', ')}`);
  }

  console.log('');
  const byKind = new Map<string, InjectedFault[]>();
  for (const fault of injected) byKind.set(fault.kind, [...(byKind.get(fault.kind) ?? []), fault]);
  console.log(
    table(
      ['fault', 'injected', 'slowest recovery (s)'],
      opts.expectedKinds.map((kind) => {
        const of = byKind.get(kind) ?? [];
        return [kind, of.length, of.length ? (Math.max(...of.map((f) => f.recoveredMs)) / 1000).toFixed(1) : '-'];
      }),
    ),
  );
  console.log('');
  console.log(
    table(
      ['answered 2xx', 'count', 'lost', 'duplicated'],
      [
        ['cases', ledger.intakes.size, findings.casesLost.length, countOf(findings.duplicates, /workflow|record/)],
        ['actions', ledger.actions.length, findings.actionsLost.length, countOf(findings.duplicates, /accepted/)],
        ['replies', ledger.replied.size, findings.repliesMissing.length, countOf(findings.duplicates, /replies/)],
        [
          'reminders due',
          findings.remindersDue,
          findings.remindersSkipped.length,
          countOf(findings.duplicates, /reminders/),
        ],
      ],
    ),
  );
  console.log('');

  const shape = system.kind === 'cluster' ? `cluster ${profile.name}` : profile.name;
  console.log(
    `faults: cases driven ${ledger.intakes.size}, actions ${ledger.actions.length}, replies ${ledger.replied.size}, ` +
      `reminders due ${findings.remindersDue}, faults injected ${injected.length}, cases lost ${findings.casesLost.length}, ` +
      `actions lost ${findings.actionsLost.length}, duplicates ${findings.duplicates.length}, replies missing ${findings.repliesMissing.length}, ` +
      `reminders skipped ${findings.remindersSkipped.length}, unanswered ${ledger.gaveUp.length}, not reached ${ledger.notReached}, refused ${ledger.refused.length} ` +
      `(${shape}, ${opts.seconds.toFixed(0)} s)`,
  );
  return problems;
}

function countOf(lines: string[], pattern: RegExp): number {
  return lines.filter((line) => pattern.test(line)).length;
}
