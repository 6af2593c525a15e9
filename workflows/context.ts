/** What every step of the case procedure works on: the case's input, its state, and how a change is recorded. */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { Stage } from '../domain/types';
import type { record } from './case-effects';
import type { CaseState, CaseWorkflowInput } from './case-state';
import { REJECTION } from './messages';
import type { RuleState } from './rules';

export type TimelineEntries = Parameters<typeof record>[2];
export type Notifications = NonNullable<Parameters<typeof record>[3]>;
/** One entry of a change's timeline. */
export type TimelineEntry = TimelineEntries[number];

export interface CaseContext {
  readonly input: CaseWorkflowInput;
  readonly state: CaseState;
  /**
   * Whether the case runs patch `law-on-every-path` (workflows/patches.ts): true for cases started since, and for
   * older cases from their first step after the deploy. Call it only from workflow code (not from a validator).
   */
  law(): boolean;
  /** Whether the case serves its notices on record (patch `notices-served`, profiles with `service`). */
  serves(): boolean;
  /** Whether it serves every notice, not-accepted, transfer and extension notices too (patch `every-notice-served`). */
  servesAll(): boolean;
  /** The units the case must never reach (Art 28, 30). */
  guarded(): string[];
  /** The accused units of a report, as the routing activities take them. */
  accused(): string[];
  ruleState(): RuleState;
  /** Records a change: projection, timeline and notifications to MongoDB; search attributes to Temporal. */
  change(timeline: TimelineEntries, notifications?: Notifications): Promise<void>;
  /** Ends the case in `stage`; every clock stops. */
  end(stage: Stage, timeline: TimelineEntries, notifications?: Notifications): Promise<void>;
}

/**
 * An activity's non-retryable failure, or undefined for any other error. An activity task's failure comes wrapped in
 * an ActivityFailure, a local activity's as it was thrown.
 */
function nonRetryableCause(error: unknown): ApplicationFailure | undefined {
  const failure = error instanceof ActivityFailure ? error.cause : error;
  return failure instanceof ApplicationFailure && failure.nonRetryable ? failure : undefined;
}

/**
 * An activity's non-retryable failure (a routing error: no unit serves the region, every candidate is accused)
 * refuses the action with its reason, as a rule would (422), instead of surfacing as an activity failure.
 */
export async function refusedOnFailure<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (error) {
    const cause = nonRetryableCause(error);
    if (!cause) throw error;
    // A reason the activity gave as a catalogue message (in its details) goes on with it.
    throw ApplicationFailure.create({
      message: cause.message,
      type: REJECTION.businessRule,
      details: cause.details ?? undefined,
      nonRetryable: true,
    });
  }
}

/** The message of an activity's business failure, or undefined for any other error (which is rethrown by callers). */
export function businessFailure(error: unknown): string | undefined {
  return nonRetryableCause(error)?.message;
}

/** The instant within a deadline's last day: counting a further period from it starts the day after (Civil Code). */
export function withinLastDay(dueAt: string): string {
  return new Date(Date.parse(dueAt) - 1).toISOString();
}
