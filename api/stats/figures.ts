/**
 * Statistics per unit for a period (三率: response, on-time and satisfaction rates, plus resolution), read from the
 * timeline and the case projection with plain finds and counted in code, so they run on MongoDB and FerretDB alike.
 */
import { z } from 'zod';
import { localDateOf, periodFrom, periodTo } from '../../domain/calendar';
import { invalid, message, translator, type Lang } from '../../domain/i18n';
import { END_STAGES, type Rating } from '../../domain/types';
import { isOneOf, type TimelineEvent } from '../../domain/events';
import { trusted, type Store, type TimelineDoc } from '../../store/models';
import { HttpProblem } from '../problem';
import { UnitCode } from '../schemas';

/** The statistics a response defines, in its order: what each counts is in the catalogue (`stats.*`). */
const DEFINED = [
  'period',
  'received',
  'responseRate',
  'onTimeRate',
  'resolutionRate',
  'satisfactionRate',
  'overdue',
  'escalated',
  'executionRate',
  'redo',
  'satisfactionAfterRedo',
  'groupPetitions',
  'urgent',
  'hotspots',
] as const;

/** How each statistic is counted, for the clerk who reads the figures, in their language. */
export function statsDefinitions(lang: Lang): Record<(typeof DEFINED)[number], string> {
  const t = translator(lang);
  return Object.fromEntries(DEFINED.map((name) => [name, t(`stats.${name}`)])) as Record<
    (typeof DEFINED)[number],
    string
  >;
}

const Rate = z
  .object({
    numerator: z.number().int(),
    denominator: z.number().int(),
    rate: z
      .number()
      .nullable()
      .openapi({ description: 'numerator / denominator, 4 decimals; null without a denominator' }),
  })
  .openapi('Rate');
type Rate = z.infer<typeof Rate>;

const UnitStats = z
  .object({
    unitCode: z.string(),
    unitName: z.string(),
    received: z.number().int(),
    responseRate: Rate,
    onTimeRate: Rate,
    resolutionRate: Rate,
    satisfactionRate: Rate,
    overdue: z.number().int(),
    escalated: z.number().int(),
    executionRate: Rate,
    redo: z.number().int(),
    satisfactionAfterRedo: Rate,
  })
  .openapi('UnitStats');
type UnitStats = z.infer<typeof UnitStats>;

const rateExample = (numerator: number, denominator: number) => ({
  numerator,
  denominator,
  rate: rate(numerator, denominator).rate,
});

export const StatsResponse = z
  .object({
    from: z.string(),
    to: z.string(),
    asOf: z.string(),
    definitions: z.record(z.string(), z.string()),
    groupPetitions: z.number().int(),
    urgent: z.number().int(),
    units: z.array(UnitStats),
  })
  .openapi('Stats', {
    example: {
      from: '2026-02-28T16:00:00.000Z',
      to: '2026-03-31T16:00:00.000Z',
      asOf: '2026-04-02T01:00:00.000Z',
      definitions: statsDefinitions('en'),
      groupPetitions: 1,
      urgent: 2,
      units: [
        {
          unitCode: '330100-HB',
          unitName: '杭州市生态环境局',
          received: 3,
          responseRate: rateExample(2, 3),
          onTimeRate: rateExample(1, 2),
          resolutionRate: rateExample(1, 1),
          satisfactionRate: rateExample(2, 3),
          overdue: 1,
          escalated: 1,
          executionRate: rateExample(1, 1),
          redo: 1,
          satisfactionAfterRedo: rateExample(1, 1),
        },
      ],
    },
  });

// Years before 1970 are refused: the calendar's day arithmetic (and any case) starts later; 0027-04-20 was a 500.
const DateOrInstant = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .refine((value) => Number(value.slice(0, 4)) >= 1970, invalid('validation.from1970'));

export const StatsQuery = z
  .object({
    from: DateOrInstant.optional().openapi({ example: '2026-03-01' }),
    to: DateOrInstant.optional().openapi({ example: '2026-03-31' }),
    unit: UnitCode.optional().openapi({ description: 'Only this unit' }),
  })
  .strict();

function periodOf(query: z.infer<typeof StatsQuery>, now: Date): { from: Date; to: Date } {
  const to = query.to ? periodTo(query.to) : now;
  const monthStart = `${localDateOf(new Date(to.getTime() - 1).toISOString()).slice(0, 8)}01`;
  const fromDate = query.from ?? monthStart;
  const from = periodFrom(fromDate);
  if (from.getTime() >= to.getTime()) {
    const period = { from: from.toISOString(), to: to.toISOString() };
    throw new HttpProblem(400, 'Bad Request', message('problem.detail.periodReversed', period));
  }
  return { from, to };
}

function rate(numerator: number, denominator: number): Rate {
  return { numerator, denominator, rate: denominator ? Math.round((numerator / denominator) * 10_000) / 10_000 : null };
}

/** An entry as the workflow wrote it: its `type` one of the timeline's events (domain/events.ts). */
type Entry = Pick<TimelineDoc, '_id' | 'caseId' | 'at' | 'unitCode' | 'detail'> & { type: TimelineEvent };

const TRANSFERS: readonly TimelineEvent[] = ['transferred', 'assigned'];
const RESPONSES: readonly TimelineEvent[] = ['acknowledged', 'accepted'];
const SUPERVISION: readonly TimelineEvent[] = ['overdue_supervised', 'escalated'];
const SATISFIED: readonly Rating[] = ['satisfied', 'basically_satisfied'];
/** Besides transfers, the entries that make a case's story worth reading for a period. */
const COUNTED: readonly TimelineEvent[] = ['result_submitted', 'rated', 'execution_reported', 'returned_for_redo'];

/** Entries written by one change share a time; their key `<caseId>:<version>.<index>:<type>` keeps their order. */
function storyOrder(a: Entry, b: Entry): number {
  const seq = (e: Entry) => /:(\d+)\.(\d+):[^:]+$/.exec(e._id)?.slice(1).map(Number) ?? [-1, 0];
  const [av, ai] = seq(a);
  const [bv, bi] = seq(b);
  return a.at.getTime() - b.at.getTime() || av! - bv! || ai! - bi!;
}

const detailOf = (e: Entry) => (e.detail ?? {}) as Record<string, unknown>;

/** Whether the workflow recorded overdue supervision (督办) of `clock` against `unitCode` between two entries. */
function supervised(story: Entry[], clock: string, unitCode: string, after: number, before: number): boolean {
  return story
    .slice(after + 1, before)
    .some((e) => SUPERVISION.includes(e.type) && detailOf(e).clock === clock && detailOf(e).holder === unitCode);
}

/** The index of the last entry before `index` that matches, or -1. */
function lastBefore(story: Entry[], index: number, matches: (e: Entry) => boolean): number {
  for (let j = index - 1; j >= 0; j--) if (matches(story[j]!)) return j;
  return -1;
}

interface Tally {
  received: Set<string>;
  responded: number;
  results: number;
  resultsOnTime: number;
  ended: number;
  resolved: number;
  rated: number;
  satisfied: number;
  overdue: number;
  escalated: number;
  executions: number;
  executionsOnTime: number;
  redo: number;
  ratedAfterRedo: number;
  satisfiedAfterRedo: number;
}

const newTally = (): Tally => ({
  received: new Set(),
  responded: 0,
  results: 0,
  resultsOnTime: 0,
  ended: 0,
  resolved: 0,
  rated: 0,
  satisfied: 0,
  overdue: 0,
  escalated: 0,
  executions: 0,
  executionsOnTime: 0,
  redo: 0,
  ratedAfterRedo: 0,
  satisfiedAfterRedo: 0,
});

function chunks<T>(items: T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Counts one case's story: transfers and responses, results on time, ratings of the unit's reply. */
function countStory(story: Entry[], from: Date, to: Date, tallyOf: (unitCode: string) => Tally): void {
  const inPeriod = (e: Entry) => e.at >= from && e.at < to;
  story.forEach((entry, i) => {
    if (!inPeriod(entry)) return;
    const unitCode = entry.unitCode ?? undefined;
    if (TRANSFERS.includes(entry.type) && unitCode) {
      const tally = tallyOf(unitCode);
      if (tally.received.has(entry.caseId)) return;
      tally.received.add(entry.caseId);
      const rest = story.slice(i + 1);
      const moved = rest.findIndex((e) => TRANSFERS.includes(e.type));
      const answered = rest.findIndex((e) => RESPONSES.includes(e.type) && e.unitCode === unitCode);
      if (
        answered >= 0 &&
        (moved < 0 || answered < moved) &&
        !supervised(story, 'acknowledge', unitCode, i, i + 1 + answered)
      ) {
        tally.responded += 1;
      }
    } else if (entry.type === 'result_submitted' && unitCode) {
      const tally = tallyOf(unitCode);
      const reached = lastBefore(story, i, (e) => TRANSFERS.includes(e.type) && e.unitCode === unitCode);
      tally.results += 1;
      if (!supervised(story, 'handling', unitCode, reached, i)) tally.resultsOnTime += 1;
    } else if (entry.type === 'rated') {
      const replied = lastBefore(story, i, (e) => e.type === 'reply_delivered' && !!e.unitCode);
      const reply = story[replied];
      if (!reply) return;
      const tally = tallyOf(reply.unitCode!);
      const satisfied = isOneOf(SATISFIED, String(detailOf(entry).rating));
      tally.rated += 1;
      if (satisfied) tally.satisfied += 1;
      if (lastBefore(story, replied, (e) => e.type === 'returned_for_redo') >= 0) {
        tally.ratedAfterRedo += 1;
        if (satisfied) tally.satisfiedAfterRedo += 1;
      }
    } else if (entry.type === 'execution_reported' && unitCode) {
      const tally = tallyOf(unitCode);
      tally.executions += 1;
      if (!detailOf(entry).late) tally.executionsOnTime += 1;
    } else if (entry.type === 'returned_for_redo' && unitCode) {
      tallyOf(unitCode).redo += 1;
    }
  });
}

export async function computeStats(
  store: Store,
  query: z.infer<typeof StatsQuery>,
  lang: Lang,
  now = new Date(),
): Promise<z.infer<typeof StatsResponse>> {
  const { from, to } = periodOf(query, now);
  const tallies = new Map<string, Tally>();
  const tallyOf = (unitCode: string) => tallies.get(unitCode) ?? tallies.set(unitCode, newTally()).get(unitCode)!;

  const touched = await store.timeline
    .find({ type: trusted({ $in: [...TRANSFERS, ...COUNTED] }), at: trusted({ $gte: from, $lt: to }) })
    .select({ caseId: 1 })
    .lean();
  const caseIds = [...new Set(touched.map((t) => t.caseId))];
  for (const ids of chunks(caseIds)) {
    const entries = await store.timeline
      .find({ caseId: trusted({ $in: ids }) })
      .select({ caseId: 1, at: 1, type: 1, unitCode: 1, detail: 1 })
      .lean<Entry[]>();
    const stories = new Map<string, Entry[]>();
    for (const e of entries) (stories.get(e.caseId) ?? stories.set(e.caseId, []).get(e.caseId)!).push(e);
    for (const story of stories.values()) countStory(story.sort(storyOrder), from, to, tallyOf);
  }

  const ended = await store.cases
    .find({ stage: trusted({ $in: ['resolved', 'terminated'] }), closedAt: trusted({ $gte: from, $lt: to }) })
    .select({ leadUnit: 1, reply: 1 })
    .lean();
  for (const c of ended) {
    if (!c.leadUnit) continue;
    const tally = tallyOf(c.leadUnit);
    tally.ended += 1;
    const decision = (c.reply as { decision?: string } | undefined)?.decision;
    if (decision === 'support' || decision === 'explain') tally.resolved += 1;
  }

  const open = await store.cases
    .find({
      stage: trusted({ $nin: [...END_STAGES] }),
      $or: [{ overdue: true }, { escalationLevel: trusted({ $gte: 1 }) }],
    })
    .select({ units: 1, overdue: 1, escalationLevel: 1 })
    .lean();
  for (const c of open) {
    for (const unitCode of new Set(c.units ?? [])) {
      const tally = tallyOf(unitCode);
      if (c.overdue) tally.overdue += 1;
      if ((c.escalationLevel ?? 0) >= 1) tally.escalated += 1;
    }
  }

  const registered = await store.cases
    .find({
      registeredAt: trusted({ $gte: from, $lt: to }),
      $or: [{ group: true }, { urgent: true }],
    })
    .select({ group: 1, urgent: 1 })
    .lean();

  if (query.unit) tallyOf(query.unit);
  const codes = [...tallies.keys()].filter((code) => !query.unit || code === query.unit).sort();
  const units = await store.units
    .find({ _id: trusted({ $in: codes }) })
    .select({ name: 1 })
    .lean();
  const names = new Map(units.map((u) => [u._id, u.name]));
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    asOf: now.toISOString(),
    definitions: statsDefinitions(lang),
    groupPetitions: registered.filter((c) => c.group).length,
    urgent: registered.filter((c) => c.urgent).length,
    units: codes.map((unitCode): UnitStats => {
      const t = tallies.get(unitCode)!;
      return {
        unitCode,
        unitName: names.get(unitCode) ?? unitCode,
        received: t.received.size,
        responseRate: rate(t.responded, t.received.size),
        onTimeRate: rate(t.resultsOnTime, t.results),
        resolutionRate: rate(t.resolved, t.ended),
        satisfactionRate: rate(t.satisfied, t.rated),
        overdue: t.overdue,
        escalated: t.escalated,
        executionRate: rate(t.executionsOnTime, t.executions),
        redo: t.redo,
        satisfactionAfterRedo: rate(t.satisfiedAfterRedo, t.ratedAfterRedo),
      };
    }),
  };
}
