/**
 * The holiday calendar: a year loaded or corrected by an admin, or the built-in schedule. A new year makes every open
 * case recompute its future deadlines; a dry run lists the deadlines that would move.
 */
import { z } from 'zod';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { builtInCalendarYears } from '../../domain/calendar-source';
import type { Deadline } from '../../domain/calendar';
import { message } from '../../domain/i18n';
import { recomputedDeadline } from '../../domain/recompute';
import { END_STAGES, type CalendarYear } from '../../domain/types';
import { loadLegalCalendar } from '../../store/calendar';
import { trusted, type CalendarYearDoc, type CaseDoc, type Store } from '../../store/models';
import { calendarChangedSignal } from '../../workflows/messages';
import { problems } from '../problem';
import { defineRoute } from '../route';
import { problemResponse } from '../schemas';
import {
  CalendarBody,
  CalendarDryRun,
  CalendarDryRunQuery,
  CalendarYearParams,
  CalendarYearView,
  SavedCalendarYear,
  calendarBodyFor,
} from './schemas';
import { admin, adminProblems, type AdminDeps } from './common';

function calendarView(doc: CalendarYearDoc) {
  return {
    year: doc._id,
    source: doc.source ?? 'admin',
    holidays: doc.holidays ?? [],
    workdays: doc.workdays ?? [],
    loadedAt: doc.loadedAt ?? undefined,
  };
}

const SIGNAL_CONCURRENCY = 16;

/**
 * Tells every open case of this deployment that a calendar year changed, so each recomputes its future deadlines
 * (deadlines are computed in an activity and kept by the workflow, so replay never reads the mutable calendar).
 * Cases live on this API's task queue; cases of another deployment on the same namespace read another calendar.
 */
async function signalOpenCases(
  client: Client,
  taskQueue: string,
  years: number[],
): Promise<{ signalled: number; failed: number }> {
  const query = `ExecutionStatus = 'Running' AND WorkflowType = 'caseWorkflow' AND TaskQueue = '${taskQueue.replace(/'/g, "\\'")}'`;
  let signalled = 0;
  let failed = 0;
  const inFlight = new Set<Promise<void>>();
  for await (const execution of client.workflow.list({ query })) {
    const signal = client.workflow
      .getHandle(execution.workflowId)
      .signal(calendarChangedSignal, { years })
      .then(
        () => void (signalled += 1),
        // A case that ended since the listing has no deadlines left to move.
        (error: unknown) => void (error instanceof WorkflowNotFoundError ? undefined : (failed += 1)),
      )
      .finally(() => inFlight.delete(signal));
    inFlight.add(signal);
    if (inFlight.size >= SIGNAL_CONCURRENCY) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return { signalled, failed };
}

/**
 * Each November an admin loads next year's schedule: this lists the open cases whose deadlines would move, from and
 * to, by the rules the cases themselves apply (domain/recompute.ts), without saving or signalling anything.
 */
async function calendarDryRun(store: Store, year: CalendarYear) {
  const calendar = await loadLegalCalendar(store, year);
  const nowMs = Date.now();
  const open = await store.cases
    .find({ stage: trusted({ $nin: END_STAGES }) }, { caseNumber: 1, deadlines: 1 })
    .lean<Pick<CaseDoc, '_id' | 'caseNumber' | 'deadlines'>[]>();
  const moves = open.flatMap((doc) =>
    ((doc.deadlines ?? []) as unknown as (Deadline & { key?: string; holder?: string; overdue?: boolean })[]).flatMap(
      (deadline) => {
        const moved = recomputedDeadline(deadline, deadline.overdue ?? false, nowMs, calendar);
        if (!moved || moved.dueAt === deadline.dueAt) return [];
        return [
          {
            caseId: doc._id,
            caseNumber: doc.caseNumber,
            clock: deadline.clock,
            key: deadline.key,
            holder: deadline.holder,
            from: deadline.dueAt,
            to: moved.dueAt,
            fromLastDay: deadline.explanation.lastDay,
            toLastDay: moved.explanation.lastDay,
          },
        ];
      },
    ),
  );
  return { year: year.year, dryRun: true as const, openCases: open.length, moves };
}

/** One path, its methods below. */
const CALENDAR_YEAR = '/v1/admin/calendar/{year}';

export const loadCalendarYearRoute = defineRoute({
  ...admin,
  method: 'put',
  path: CALENDAR_YEAR,
  summary: 'Load or correct a year of the holiday schedule',
  description:
    'Replaces the built-in schedule for the year. Every open case is then told to recompute its future deadlines; ' +
    'the answer says how many. On 503 the year is saved: PUT again to reach the cases that were missed.',
  request: { params: CalendarYearParams, query: CalendarDryRunQuery, body: CalendarBody },
  bodyFor: ({ year }) => calendarBodyFor(year),
  responses: {
    200: {
      description: 'Saved and open cases told; with dryRun=true, the deadlines that would move (nothing saved)',
      content: { 'application/json': { schema: z.union([SavedCalendarYear, CalendarDryRun]) } },
    },
    400: problemResponse('A date is invalid, outside the year, a weekday make-up day, or both holiday and workday'),
    ...adminProblems,
  },
  handler: async ({ params: { year }, query: { dryRun }, body, req }, deps: AdminDeps) => {
    const { store } = deps;
    const holidays = [...new Set(body.holidays)].sort();
    const workdays = [...new Set(body.workdays)].sort();
    if (dryRun) return calendarDryRun(store, { year, holidays, workdays, source: 'admin' });
    await store.calendarYears.updateOne(
      { _id: year },
      { $set: { holidays, workdays, source: 'admin', loadedAt: new Date() } },
      { upsert: true },
    );
    const { signalled, failed } = await signalOpenCases(deps.client, deps.taskQueue, [year]).catch((error: unknown) => {
      req.log.error({ err: error, year }, 'open cases could not be listed');
      throw problems.unavailable(message('problem.detail.calendarNotSignalled', { year }));
    });
    if (failed > 0) {
      throw problems.unavailable(message('problem.detail.calendarPartlySignalled', { year, signalled, failed }));
    }
    const doc = await store.calendarYears.findById(year).lean<CalendarYearDoc>();
    req.log.info({ year, openCasesSignalled: signalled, by: req.principal!.keyId }, 'calendar year loaded');
    return {
      ...calendarView(doc ?? { _id: year, holidays, workdays, source: 'admin' }),
      openCasesSignalled: signalled,
    };
  },
});

export const calendarYearRoute = defineRoute({
  ...admin,
  method: 'get',
  path: CALENDAR_YEAR,
  summary: 'The holiday schedule in force for a year',
  description: 'An admin-loaded year, or the built-in State Council schedule with its source.',
  request: { params: CalendarYearParams },
  responses: {
    200: {
      description: 'The schedule and its source',
      content: { 'application/json': { schema: CalendarYearView } },
    },
    400: problemResponse('Invalid year'),
    404: problemResponse('No schedule is loaded or built in for the year'),
    ...adminProblems,
  },
  handler: async ({ params: { year } }, { store }: AdminDeps) => {
    const loaded = await store.calendarYears.findById(year).lean<CalendarYearDoc>();
    if (loaded) return calendarView(loaded);
    const builtIn = builtInCalendarYears().find((y) => y.year === year);
    if (!builtIn) {
      throw problems.notFound(message('problem.detail.noCalendar', { year }));
    }
    return builtIn;
  },
});

export const calendarRoutes = [loadCalendarYearRoute, calendarYearRoute];
