/**
 * Likely repeats of a case, for the office to decide (Art 19, 36): attach to an open case, refuse as the same facts
 * and reasons as a terminated one, or keep it as a case of its own. The candidates are the earlier cases of its
 * region and the regions above and below it within a window, and every earlier case of the same petitioner.
 */
import { END_STAGES, type Stage } from '../domain/types';
import type { CaseDoc } from '../store/models';
import {
  decodeMatter,
  entrySharesPerson,
  entrySimilarity,
  matterOf,
  type Matter,
  type MatterSource,
  type MatterWithWords,
} from './features';
import {
  distinct,
  entriesInRegions,
  entriesOfPersons,
  registrationRank,
  subregionsOf,
  type SimilarityDeps,
} from './matter-index';
import { ancestorsOf, compareMatters, MAX_CORROBORATION, WORTH_SHOWING, type Comparison } from './score';
import { MAX_TERM_SHARE } from './text';

export interface RepeatSearch {
  /** How far back to look in the case's regions; a petitioner's own cases are searched whenever they were filed. */
  withinDays?: number;
  /** How many candidates at most, best first. */
  limit?: number;
}

export const REPEAT_SEARCH_DEFAULTS = { withinDays: 365, limit: 10 } as const;

export interface RankedMatter extends Comparison {
  caseId: string;
}

/**
 * Ranks stored cases against the asking one: only cases registered before it, scored at least WORTH_SHOWING, best
 * first (exact repeats, then score, then the most recent).
 */
export function rankRepeats(asking: MatterWithWords, stored: Matter[], limit: number): RankedMatter[] {
  const before = registrationRank(asking);
  return stored
    .filter((matter) => registrationRank(matter) < before)
    .map((matter) => ({ caseId: matter.caseId, registeredAt: matter.registeredAt, ...compareMatters(asking, matter) }))
    .filter((ranked) => ranked.score >= WORTH_SHOWING)
    .sort(
      (a, b) =>
        Number(b.exactRepeat) - Number(a.exactRepeat) ||
        b.score - a.score ||
        b.registeredAt.getTime() - a.registeredAt.getTime(),
    )
    .slice(0, limit)
    .map(({ registeredAt: _registeredAt, ...ranked }) => ranked);
}

/** The regions whose lists a search reads: the case's own, those above it, and those one level below a city or province. */
export async function regionsToSearch(deps: SimilarityDeps, regionCode: string): Promise<string[]> {
  const below = regionCode.endsWith('00') ? await subregionsOf(deps.store, regionCode) : [];
  return [...new Set([regionCode, ...ancestorsOf(regionCode), ...below])];
}

export interface RepeatCandidate extends RankedMatter {
  caseNumber: string;
  subject: string;
  kind: string;
  category: string;
  regionCode: string;
  registeredAt: Date;
  stage: Stage;
  /** Still running: attaching to it is possible unless it is overdue. */
  open: boolean;
  /** Ended (resolved, terminated, not accepted, withdrawn, merged, closed). */
  ended: boolean;
  /** Past a statutory deadline: a repeat is recorded, not merged (the petitioner may go one level up). */
  overdue: boolean;
}

export interface RepeatCandidates {
  caseId: string;
  candidates: RepeatCandidate[];
  searched: { regionCodes: string[]; from: Date; to: Date; persons: number; cases: number };
}

const DAY_MS = 86_400_000;

/** What the index reads of a stored case record. */
export function recordSource(record: CaseDoc): MatterSource {
  return {
    ...record,
    caseId: record._id,
    registeredAt: record.registeredAt ?? new Date(),
    regionCode: record.regionCode ?? '',
    category: record.category ?? '',
    kind: record.kind ?? '',
    subject: record.subject ?? '',
    content: record.content ?? '',
  };
}

/** The likely repeats of a recorded case, with where each stands now; undefined when the case has no record yet. */
export async function findRepeatCandidates(
  deps: SimilarityDeps,
  caseId: string,
  search: RepeatSearch = {},
): Promise<RepeatCandidates | undefined> {
  const { withinDays, limit } = { ...REPEAT_SEARCH_DEFAULTS, ...search };
  const record = await deps.store.cases.findById(caseId).lean<CaseDoc>();
  if (!record) return undefined;
  const asking = matterOf(deps.sealer, recordSource(record));
  const to = asking.registeredAt;
  const from = new Date(to.getTime() - withinDays * DAY_MS);
  const regionCodes = await regionsToSearch(deps, asking.regionCode);
  const entries = distinct(
    (
      await Promise.all([
        entriesInRegions(deps.store, regionCodes, from, to),
        entriesOfPersons(deps.store, asking.persons),
      ])
    ).flat(),
  );
  // Most entries are about something else: they are skipped on their text alone, without being decoded.
  const floor = WORTH_SHOWING / MAX_CORROBORATION;
  const worthScoring = entries.filter(
    (line) => entrySharesPerson(asking, line) || entrySimilarity(asking, line, MAX_TERM_SHARE) >= floor,
  );
  const ranked = rankRepeats(asking, worthScoring.map(decodeMatter), limit);
  const records = await Promise.all(
    ranked.map((r) =>
      deps.store.cases
        .findById(r.caseId, {
          caseNumber: 1,
          subject: 1,
          kind: 1,
          category: 1,
          regionCode: 1,
          registeredAt: 1,
          stage: 1,
          overdue: 1,
        })
        .lean<CaseDoc>(),
    ),
  );
  const candidates = ranked.flatMap((r, i): RepeatCandidate[] => {
    const doc = records[i];
    if (!doc) return [];
    const ended = END_STAGES.includes(doc.stage as Stage);
    return [
      {
        ...r,
        caseNumber: doc.caseNumber,
        subject: doc.subject ?? '',
        kind: doc.kind ?? '',
        category: doc.category ?? '',
        regionCode: doc.regionCode ?? '',
        registeredAt: doc.registeredAt ?? new Date(0),
        stage: doc.stage as Stage,
        open: !ended,
        ended,
        overdue: !ended && doc.overdue === true,
      },
    ];
  });
  return {
    caseId,
    candidates,
    searched: { regionCodes, from, to, persons: asking.persons.length, cases: entries.length },
  };
}
