/**
 * A workflow that formats with the catalogue, the way case workflows write their summaries and refusals: bundled
 * and run by test/i18n.test.ts to show the catalogue works inside Temporal's sandbox.
 */
import { cite, translate, type Lang } from '../../domain/i18n';
import { reminderSchedule } from '../../domain/reminders';

export function catalogueSamples(lang: Lang): string[] {
  const deadline = {
    clock: 'handling' as const,
    startedAt: '2026-03-02T02:00:00Z',
    dueAt: '2026-05-07T00:00:00+08:00',
  };
  return [
    ...reminderSchedule(deadline, [{ atFraction: 0.5 }, { daysBefore: 10 }, { daysBefore: 1 }], undefined, lang).map(
      (r) => r.label,
    ),
    translate(lang, 'reply.final', { citation: cite('xinfang', [36], lang) }),
    translate(lang, 'deadline.openPause', { reason: '听证', until: '2026-03-11T04:00:00Z' }),
    translate(lang, 'reply.rightToReview', {
      until: '2026-12-09T00:00:00+08:00',
      review: translate(lang, 'review.review'),
      citation: cite('xinfang', [35], lang),
      explanation: '…',
    }),
  ];
}

export async function formatInSandbox(lang: Lang): Promise<string[]> {
  return Promise.resolve(catalogueSamples(lang));
}
