/**
 * Service of notices (送达, DESIGN.md §4a "Notices served"), under patch `notices-served`: a notice to the petitioner
 * is issued by an activity (composed and stored in MongoDB, served at once by e-mail or SMS where it can be); one that
 * is not served yet runs the office's clock C14 — reminders, then supervision — or, on the tracking page, counts as
 * served when the petitioner first opens it or when the profile's online period runs out. What depends on the
 * petitioner having the notice starts at service: C2 is met by the served acceptance notice, the rating and review
 * windows run from the served reply.
 */
import {
  addClock,
  computeDeadlines,
  findPetitionOffices,
  issueNotice,
  now,
  recordService,
  startClock,
  stopClock,
} from './case-effects';
import { DEFAULT_LANG, translate } from '../domain/i18n';
import { PATCHES, since } from './patches';
import type { NoticeOnRecord } from './case-state';
import type { RunningClock } from './clocks';
import type { CaseContext, TimelineEntries, TimelineEntry } from './context';
import type * as m from './messages';
import type { IssueNoticeInput } from '../activities/notices';
import { OFFICE_ISSUER } from '../domain/ids';
import { closeIfDone, endStageOf } from './reply';

const serviceKey = (noticeId: string) => `service:${noticeId}`;

/** What a notice states beyond its case: codes, IDs and dates (the words are read from MongoDB by the activity). */
export type NoticeDetails = Omit<IssueNoticeInput, 'caseId' | 'kind' | 'n' | 'issuedAt' | 'unitCode'>;

/** Notices that end a case: it stays open until they are served, or recorded undeliverable (Art 22, 31, 36). */
const ENDING_NOTICES: readonly NoticeOnRecord['kind'][] = ['not_accepted', 'not_accepted_again', 'diversion'];

export function awaitsServiceAfterEnd(notice: NoticeOnRecord): boolean {
  return ENDING_NOTICES.includes(notice.kind) && !notice.servedAt && !notice.undeliverable;
}

/** The how-manieth notice of this kind the case issues next (`<caseId>:<kind>:<n>`). */
export function nextNoticeNumber(c: CaseContext, kind: NoticeOnRecord['kind']): number {
  return (c.state.notices ?? []).filter((x) => x.kind === kind).length;
}

/**
 * Issues a notice and returns when it was served, if at once. Otherwise its service clock starts: the office's
 * (print, serve, record) or the tracking page's.
 */
export async function issue(
  c: CaseContext,
  kind: NoticeOnRecord['kind'],
  n: number,
  unitCode: string,
  details: NoticeDetails = {},
): Promise<string | undefined> {
  const { input, state } = c;
  const issuedAt = now();
  const issued = await issueNotice.executeWithOptions(
    { summary: translate(DEFAULT_LANG, 'summary.issueNotice', { noticeKind: kind, n }) },
    [{ caseId: input.ref.caseId, kind, n, issuedAt, unitCode, ...details }],
  );
  const notice: NoticeOnRecord = { id: issued.noticeId, kind, channel: issued.channel, issuedAt };
  state.notices = [...(state.notices ?? []).filter((x) => x.id !== notice.id), notice];
  if (issued.servedAt) {
    // Served when the message went out: the case's own clock at the moment the provider took it, so the windows
    // that run from service count on the same clock as every other deadline of the case.
    notice.servedAt = now();
    notice.method = issued.method;
    return notice.servedAt;
  }
  const service = input.profile.service!;
  await startClock(input, state, {
    key: serviceKey(notice.id),
    clock: 'service',
    holder: 'office',
    startedAt: issuedAt,
    rule: notice.channel === 'online' ? service.online : service.office,
  });
  return undefined;
}

/**
 * Issues the case's next notice of a kind and records it: issued, and served when it was served at once — then what
 * waited for it follows (afterService).
 */
export async function issueOnRecord(
  c: CaseContext,
  kind: NoticeOnRecord['kind'],
  unitCode: string,
  details: NoticeDetails = {},
): Promise<void> {
  const n = nextNoticeNumber(c, kind);
  const servedAt = await issue(c, kind, n, unitCode, details);
  const notice = c.state.notices!.find((x) => x.id === `${c.input.ref.caseId}:${kind}:${n}`)!;
  const issued: TimelineEntry = { type: 'notice_issued', detail: { noticeId: notice.id, channel: notice.channel } };
  if (!servedAt) return c.change([issued]);
  return afterService(c, notice, [
    issued,
    { type: 'notice_served', detail: { noticeId: notice.id, servedAt, method: notice.method } },
  ]);
}

/** The petition office that issues the office's own notices (not accepted, transferred): the region's, if any. */
export async function petitionOffice(c: CaseContext): Promise<string> {
  const offices = await findPetitionOffices.executeWithOptions(
    { summary: translate(DEFAULT_LANG, 'summary.findIssuingOffice') },
    [c.input.ref.regionCode],
  );
  return offices.own ?? OFFICE_ISSUER;
}

/** The notice is served: its clock stops, and what waited for it starts. */
export async function served(
  c: CaseContext,
  noticeId: string,
  servedAt: string,
  method: string,
  also: TimelineEntries = [],
): Promise<void> {
  const { state } = c;
  const notice = state.notices?.find((n) => n.id === noticeId);
  if (!notice || notice.servedAt) return;
  notice.servedAt = servedAt;
  notice.method = method;
  notice.undeliverable = undefined;
  stopClock(state, serviceKey(noticeId));
  await recordService.executeWithOptions({ summary: translate(DEFAULT_LANG, 'summary.recordService', { noticeId }) }, [
    { noticeId, servedAt, method },
  ]);
  return afterService(c, notice, [...also, { type: 'notice_served', detail: { noticeId, servedAt, method } }]);
}

/** What follows the service of a notice served at once, or recorded later. */
export async function afterService(c: CaseContext, notice: NoticeOnRecord, timeline: TimelineEntries): Promise<void> {
  const { state, input } = c;
  // C2 (Art 23): the unit told the petitioner it accepted once the acceptance notice is served.
  if (notice.kind === 'acceptance') {
    stopClock(state, 'notify');
    return c.change(timeline);
  }
  const pending = state.awaitingService;
  if (!pending || pending.noticeId !== notice.id) return c.change(timeline);
  state.awaitingService = undefined;
  const startedAt = notice.servedAt!;
  if (pending.rating) await startClock(input, state, { clock: 'rating', holder: 'petitioner', startedAt });
  if (pending.window && since(PATCHES.replyWindowComputedOnce)) {
    // The review window is computed once, here at service, and the case runs that deadline.
    const [deadline] = await computeDeadlines.executeWithOptions(
      {
        summary: translate(DEFAULT_LANG, 'summary.serviceWindow', { clock: pending.window }),
      },
      [[{ clock: pending.window, rule: input.profile.clocks[pending.window], startedAt }]],
    );
    addClock(input, state, { clock: pending.window, holder: 'petitioner', deadline: deadline! });
  } else if (pending.window) {
    await startClock(input, state, { clock: pending.window, holder: 'petitioner', startedAt });
  }
  if (input.profile.procedures) return closeIfDone(c, endStageOf(c), timeline);
  return c.change(timeline);
}

/** A petitioner who rates or asks for review has the reply: it is served now, on the tracking page's record. */
export async function servedByPetitionerAction(c: CaseContext): Promise<void> {
  const pending = c.state.awaitingService;
  if (!pending) return;
  await served(c, pending.noticeId, now(), 'petitioner_acted');
}

/** 送达回证 from the office: served on a date by post or in person, or undeliverable (the office's clock stops). */
export async function recordServiceAction(c: CaseContext, args: m.ServiceArgs): Promise<void> {
  if (!args.undeliverable) return served(c, args.noticeId, args.servedAt!, args.method!);
  const notice = c.state.notices!.find((n) => n.id === args.noticeId)!;
  notice.undeliverable = true;
  stopClock(c.state, serviceKey(notice.id));
  await recordService.executeWithOptions(
    { summary: translate(DEFAULT_LANG, 'summary.recordUndeliverable', { noticeId: notice.id }) },
    [{ noticeId: notice.id, undeliverable: true, at: now() }],
  );
  await c.change(
    [{ type: 'notice_undeliverable', detail: { noticeId: notice.id } }],
    [{ kind: 'notice_undeliverable', recipient: 'office', detail: { noticeId: notice.id } }],
  );
}

/** The petitioner opened the tracking page: every notice published there is served now. */
export async function openedOnline(c: CaseContext, at: string): Promise<void> {
  for (const notice of c.state.notices ?? []) {
    if (notice.channel === 'online' && !notice.servedAt) await served(c, notice.id, at, 'online');
  }
}

/**
 * C14 ran out. A notice on the tracking page counts as served at the end of the online period; a printed one is
 * overdue for the office, and `false` hands it to supervision like any other clock.
 */
export async function serviceLapsed(c: CaseContext, running: RunningClock): Promise<boolean> {
  const noticeId = running.key.slice('service:'.length);
  const notice = c.state.notices?.find((n) => n.id === noticeId);
  if (notice?.channel !== 'online') return false;
  await served(c, noticeId, new Date(Date.parse(running.deadline.dueAt) - 1).toISOString(), 'online_deemed');
  return true;
}
