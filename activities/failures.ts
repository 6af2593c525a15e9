import { ApplicationFailure } from '@temporalio/common';
import { DEFAULT_LANG, renderMessage, type Message } from '../domain/i18n';

/**
 * An activity failure in the catalogue's words: its message in Chinese for the operator reading the Temporal UI, and
 * the catalogue message itself as its first detail, so an action refused because of it is answered in the API
 * client's language.
 */
export function activityFailure(
  detail: Message,
  options: { type?: string; nonRetryable: boolean; cause?: Error },
): ApplicationFailure {
  return ApplicationFailure.create({
    message: renderMessage(detail, DEFAULT_LANG),
    type: options.type,
    nonRetryable: options.nonRetryable,
    details: [detail],
    cause: options.cause,
  });
}
