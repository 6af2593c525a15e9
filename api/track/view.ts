/** The petitioner's view of a case: stage, units, deadlines, the written replies and the notices on record. */
import type { z } from 'zod';
import type { Client } from '@temporalio/client';
import { isOneOf, SUPERVISION_EVENTS } from '../../domain/events';
import { message } from '../../domain/i18n';
import { caseWorkflowId } from '../../domain/ids';
import { caseNotices, caseTimeline } from '../../store/case-entries';
import { trusted, type CaseDoc, type Store } from '../../store/models';
import type { Rating, Stage } from '../../domain/types';
import { noticesOpenedSignal } from '../../workflows/messages';
import { deadlinesFor } from '../language';
import { problems } from '../problem';
import { defineRoute } from '../route';
import { TrackingParams, TrackingView, security } from '../schemas';
import { pin, refusals, type TrackDeps } from './petitioners';
import { liveView } from '../cases/live-view';

type Deps = TrackDeps & { client: Client; store: Store };

export const trackingViewRoute = defineRoute({
  method: 'get',
  path: '/v1/track/{trackingCode}',
  summary: 'The petitioner view: stage, units, deadlines and the written replies',
  description:
    'A case registered a moment ago, whose record is not written yet, is answered from its workflow ' +
    '(`recordPending`). A code that exists and one that does not take the same time to answer 404.',
  tags: ['petitioner'],
  security: security.trackingPin,
  request: { params: TrackingParams, headers: pin },
  responses: {
    200: { description: 'The case', content: { 'application/json': { schema: TrackingView } } },
    ...refusals,
  },
  handler: async ({ params, req }, deps: Deps) => {
    const { caseId, record } = await deps.petitioners.authenticate(req);
    if (!record) return pendingView(deps.client, caseId);
    const unitCodes = record.units ?? [];
    const units = await deps.store.units.find({ _id: trusted({ $in: unitCodes }) }).lean();
    const timeline = await caseTimeline(deps.store, record);
    const notices = await caseNotices(deps.store, record, timeline);
    await servedOnOpening(deps.client, caseId, notices);
    return trackedCase(record, deadlinesFor(req, record.deadlines), {
      // Each unit by its name in the directory.
      units: unitCodes.map((code) => ({ code, name: units.find((u) => u._id === code)?.name ?? code })),
      // The petitioner sees the steps of the procedure, not the office's internal supervision.
      progress: timeline.filter((t) => !isOneOf(SUPERVISION_EVENTS, t.type)).map((t) => ({ at: t.at, step: t.type })),
      notices: notices.map((n) => ({
        id: n._id,
        kind: n.kind,
        title: n.title ?? '',
        documentNumber: n.documentNumber ?? undefined,
        issuedAt: n.createdAt,
        servedAt: n.servedAt ?? undefined,
        serviceMethod: n.serviceMethod ?? undefined,
        undeliverable: n.undeliverable || undefined,
        text: n.text ?? '',
        pdf: `/v1/track/${params.trackingCode}/notices/${n._id}.pdf`,
      })),
    });
  },
});

type Tracked = z.infer<typeof TrackingView>;

/**
 * The record as the petitioner sees it. Its stage, rating, replies and deadlines are written by the workflow in the
 * shapes of domain/types.ts and domain/calendar.ts; the store types them loosely, so they are read as those here.
 */
function trackedCase(
  record: CaseDoc,
  deadlines: unknown[],
  seen: Pick<Tracked, 'units'> & { progress: { at: Date; step: string }[]; notices: TrackedNotice[] },
) {
  return {
    caseNumber: record.caseNumber,
    subject: record.subject as string,
    stage: record.stage as Stage,
    units: seen.units,
    deadlines: deadlines as Tracked['deadlines'],
    replies: (record.replies ?? {}) as Tracked['replies'],
    rating: record.rating as Rating | undefined,
    progress: seen.progress,
    notices: seen.notices,
  };
}

/** A notice as listed, its dates as stored. */
interface TrackedNotice {
  id: string;
  kind: string;
  title: string;
  documentNumber?: string;
  issuedAt: Date;
  servedAt?: Date;
  serviceMethod?: string;
  undeliverable?: true;
  text: string;
  pdf: string;
}

/**
 * Notices published on the tracking page count as served when the petitioner first opens it (送达, online): the
 * case is told, and records the service. Should the signal not get through, the profile's online period still
 * deems them served; the page is answered either way.
 */
async function servedOnOpening(
  client: Client,
  caseId: string,
  notices: { channel?: string | null; servedAt?: Date | null }[],
) {
  if (!notices.some((n) => n.channel === 'online' && !n.servedAt)) return;
  await client.workflow
    .getHandle(caseWorkflowId(caseId))
    .signal(noticesOpenedSignal, { at: new Date().toISOString() })
    .catch(() => undefined);
}

/** A case registered a moment ago (or while MongoDB was away): its stage and clocks from the workflow. */
async function pendingView(client: Client, caseId: string) {
  const view = await liveView(client, caseId);
  // An intake that failed after its tracking code was noted: there is no case.
  if (view === null) throw problems.notFound(message('problem.detail.trackingNotFound'));
  if (!view) throw problems.unavailable(message('problem.detail.caseBeingRegistered'));
  return {
    caseNumber: view.caseNumber,
    subject: '',
    stage: view.stage,
    units: view.units.map((code) => ({ code, name: code })),
    // The explanation as a plain object: the answer's schema leaves its fields open.
    deadlines: view.clocks.map(({ deadline }) => ({ ...deadline, explanation: { ...deadline.explanation } })),
    replies: {},
    progress: [],
    recordPending: true as const,
  };
}
