/**
 * How alike two cases are, and why: the text decides, the facts around it (same petitioner, same or parent region,
 * same category, close in time) corroborate. Pure: the tests compute precision and recall of LIKELY_REPEAT with it.
 */
import type { Matter, MatterWithWords } from './features';
import { cosine } from './text';

/**
 * A score at or above this marks a likely repeat: the best balance of precision and recall on
 * test/fixtures/repeat-pairs.json (0.94 and 0.91), and 0.90 / 0.90 on pairs written after it was chosen
 * (test/similarity-pairs.test.ts). Every candidate above WORTH_SHOWING is listed anyway, best first.
 */
export const LIKELY_REPEAT = 0.35;

/** Candidates below this are not worth the office's time at all. */
export const WORTH_SHOWING = 0.1;

export type RegionRelation = 'same' | 'parent' | 'child' | 'same_city' | 'same_province' | 'other';

export interface Comparison {
  score: number;
  /** Same petitioner and the same words: intake attaches these itself when the subject line matches too. */
  exactRepeat: boolean;
  likelyRepeat: boolean;
  reasons: {
    /** Cosine of the two cases' weighted terms (no one term counting for more than 0.2), 0–1. */
    textSimilarity: number;
    /** The shared terms that weigh most, in the asking case's words. */
    sharedTerms: string[];
    samePetitioner: boolean;
    sameWords: boolean;
    region: RegionRelation;
    sameCategory: boolean;
    /** Days from the candidate's registration to the asking case's; negative when the candidate came later. */
    daysApart: number;
  };
}

const DAY_MS = 86_400_000;

/** Province `xx0000`, city `xxxx00`, county or district: the levels of a 6-digit administrative division code. */
export function parentRegion(code: string): string | undefined {
  if (code.endsWith('0000')) return undefined;
  return code.endsWith('00') ? `${code.slice(0, 2)}0000` : `${code.slice(0, 4)}00`;
}

export function ancestorsOf(code: string): string[] {
  const ancestors: string[] = [];
  for (let parent = parentRegion(code); parent; parent = parentRegion(parent)) ancestors.push(parent);
  return ancestors;
}

export function regionRelation(asking: string, candidate: string): RegionRelation {
  if (asking === candidate) return 'same';
  if (ancestorsOf(asking).includes(candidate)) return 'parent';
  if (ancestorsOf(candidate).includes(asking)) return 'child';
  if (asking.slice(0, 4) === candidate.slice(0, 4)) return 'same_city';
  if (asking.slice(0, 2) === candidate.slice(0, 2)) return 'same_province';
  return 'other';
}

/** How much each corroborating fact raises the text's evidence, as a share of it. */
const CORROBORATION = {
  region: { same: 0.1, parent: 0.08, child: 0.08, same_city: 0.04, same_province: 0, other: 0 },
  category: 0.1,
  /** Weighs 1 for the same day and halves every 60 days. */
  time: 0.1,
  halfLifeDays: 60,
} as const;

/** The most the corroborating facts can raise a text's evidence: a search skips entries whose text cannot reach a floor. */
export const MAX_CORROBORATION =
  1 + Math.max(...Object.values(CORROBORATION.region)) + CORROBORATION.category + CORROBORATION.time;

/**
 * Two cases that each name places, estates or firms and share none of them (万科工地 and 西溪华府工地) are about
 * different sites, however alike the rest of their words: their text similarity counts this much.
 */
const NO_SHARED_ANCHOR = 0.7;

/** The same petitioner closes this share of the gap to 1 once the texts share a fifth of their weight. */
const SAME_PETITIONER = 0.5;
const PETITIONER_TEXT_FLOOR = 0.2;

export function compareMatters(asking: MatterWithWords, candidate: Matter): Comparison {
  const text = cosine(asking.terms, candidate.terms);
  const anchorsApart =
    asking.anchors.size > 0 &&
    candidate.anchors.size > 0 &&
    ![...asking.anchors].some((anchor) => candidate.anchors.has(anchor));
  const textEvidence = text.similarity * (anchorsApart ? NO_SHARED_ANCHOR : 1);
  const samePetitioner = asking.persons.some((person) => candidate.persons.includes(person));
  const sameWords = asking.words === candidate.words;
  const region = regionRelation(asking.regionCode, candidate.regionCode);
  const sameCategory = asking.category === candidate.category;
  const daysApart = (asking.registeredAt.getTime() - candidate.registeredAt.getTime()) / DAY_MS;

  const recency = Math.pow(0.5, Math.abs(daysApart) / CORROBORATION.halfLifeDays);
  const corroboration =
    CORROBORATION.region[region] + (sameCategory ? CORROBORATION.category : 0) + CORROBORATION.time * recency;
  let score = Math.min(1, textEvidence * (1 + corroboration));
  // The same person writing about the same things: most likely the same matter, but not on the person alone.
  if (samePetitioner) score += (1 - score) * SAME_PETITIONER * Math.min(1, textEvidence / PETITIONER_TEXT_FLOOR);
  if (samePetitioner && sameWords) score = 1;
  score = Math.round(score * 1000) / 1000;

  return {
    score,
    exactRepeat: samePetitioner && sameWords,
    likelyRepeat: score >= LIKELY_REPEAT,
    reasons: {
      textSimilarity: Math.round(text.similarity * 1000) / 1000,
      sharedTerms: text.shared.slice(0, 8).map((key) => asking.termWords.get(key) ?? key),
      samePetitioner,
      sameWords,
      region,
      sameCategory,
      daysApart: Math.round(daysApart * 10) / 10,
    },
  };
}
