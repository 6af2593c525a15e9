/**
 * Refusals as a reader is told them, for tests that assert their meaning: the rule checks with their refusals
 * rendered in a language (`inLanguage(rules).checkObjection(…)` gives `{ type, message: 'an objection is already
 * waiting …' }`), and the refusal a workflow update met.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { isMessage, renderMessage, type Lang } from '../../domain/i18n';
import type { Rejection } from '../../workflows/rule-basics';

export interface RenderedRejection {
  type: Rejection['type'];
  message: string;
}

type Rendering<M> = {
  [K in keyof M]: M[K] extends (...args: infer A) => infer R
    ? (...args: A) => Exclude<R, Rejection> | (Rejection extends R ? RenderedRejection : never)
    : M[K];
};

function isRejection(value: unknown): value is Rejection {
  return (
    typeof value === 'object' && value !== null && 'type' in value && typeof (value as Rejection).message === 'object'
  );
}

export function rendered(rejection: Rejection, lang?: Lang): RenderedRejection;
export function rendered(rejection: Rejection | undefined, lang?: Lang): RenderedRejection | undefined;
export function rendered(rejection: Rejection | undefined, lang: Lang = 'en'): RenderedRejection | undefined {
  return rejection && { type: rejection.type, message: renderMessage(rejection.message, lang) };
}

/** A module's functions, each refusal they return rendered in `lang`; anything else they return as it is. */
export function inLanguage<M extends object>(module: M, lang: Lang = 'en'): Rendering<M> {
  return Object.fromEntries(
    Object.entries(module).map(([name, value]) => [
      name,
      typeof value === 'function'
        ? (...args: unknown[]) => {
            const result: unknown = value(...args);
            return isRejection(result) ? rendered(result, lang) : result;
          }
        : value,
    ]),
  ) as Rendering<M>;
}

/**
 * The refusal an update met, as the workflow threw it: its type, and its reason in `lang` from the catalogue message
 * in the failure's details (the failure's own message is that reason in Chinese). A failure without one (an
 * activity's) keeps its message.
 */
export async function refusal(
  pending: Promise<unknown>,
  lang: Lang = 'en',
): Promise<{ type?: string; message: string }> {
  try {
    await pending;
  } catch (error) {
    if (!(error instanceof WorkflowUpdateFailedError)) throw error;
    const cause = error.cause;
    if (!(cause instanceof ApplicationFailure)) return { message: cause?.message ?? error.message };
    const [reason] = cause.details ?? [];
    if (!isMessage(reason)) return { type: cause.type ?? undefined, message: cause.message };
    expect(cause.message).toBe(renderMessage(reason, 'zh-CN'));
    return { type: cause.type ?? undefined, message: renderMessage(reason, lang) };
  }
  throw new Error('the update was applied, but it should have been refused');
}
