/**
 * What the similarity index keeps of a case: codes, dates and keyed digests, never a name, a phone or ID number or a
 * word of the letter. Terms are stored as digests with their weights; the words behind the digests the office sees as
 * reasons are those of the case it asked about, segmented again from its record.
 */
import type { Sealer } from '../store/sealed';
import { normalisedWords, termVector, type TermVector } from './text';

/** The parts of a case record the index reads; `request` is the petitioner's request (诉求) once intake records one. */
export interface MatterSource {
  caseId: string;
  registeredAt: Date | string;
  regionCode: string;
  category: string;
  kind: string;
  subject: string;
  request?: string | null;
  content: string;
  anonymous?: boolean | null;
  petitioner?: { idNumber?: string | null; phone?: string | null } | null;
  representatives?: { idNumber?: string | null; phone?: string | null }[] | null;
}

/** One case in the index. */
export interface Matter {
  caseId: string;
  registeredAt: Date;
  regionCode: string;
  category: string;
  kind: string;
  /** Digests of the petitioner's and representatives' ID and phone numbers; none for an anonymous petition. */
  persons: string[];
  /** Digest of the request and content with spacing and punctuation removed: equal for the same words. */
  words: string;
  /** Term digest → weight, of unit length. */
  terms: TermVector;
  /** The digests of the terms that are anchors: the places, estates and firms the case names. */
  anchors: Set<string>;
}

/** A case being compared: its matter, and the words behind its term digests, to name shared terms. */
export interface MatterWithWords extends Matter {
  termWords: Map<string, string>;
}

const DIGEST_CHARS = 12;
const TERM_DIGEST_CHARS = 6;

function digest(sealer: Sealer, purpose: string, value: string, chars = DIGEST_CHARS): string {
  return sealer.digest(purpose, value).toString('base64url').slice(0, chars);
}

/** Term digests by sealer: a process meets the same few ten thousand words again and again. */
const termDigests = new WeakMap<Sealer, Map<string, string>>();
const MAX_CACHED_TERMS = 200_000;

function termDigest(sealer: Sealer, term: string): string {
  let cache = termDigests.get(sealer);
  if (!cache || cache.size > MAX_CACHED_TERMS) termDigests.set(sealer, (cache = new Map<string, string>()));
  let key = cache.get(term);
  if (key === undefined) cache.set(term, (key = digest(sealer, 'similarity-term', term, TERM_DIGEST_CHARS)));
  return key;
}

/** The ways a person is identified, as digests: an ID number and a phone number each, as the intake repeat key reads them. */
function personDigests(sealer: Sealer, source: MatterSource): string[] {
  if (source.anonymous) return [];
  const digests = new Set<string>();
  for (const person of [source.petitioner, ...(source.representatives ?? [])]) {
    const idNumber = person?.idNumber?.toUpperCase();
    const phone = person?.phone?.replace(/\D/g, '');
    if (idNumber) digests.add(digest(sealer, 'similarity-person', `id:${idNumber}`));
    if (phone) digests.add(digest(sealer, 'similarity-person', `phone:${phone}`));
  }
  return [...digests].sort();
}

/** The case as the index holds it, with the words behind its term digests. */
export function matterOf(sealer: Sealer, source: MatterSource): MatterWithWords {
  const request = source.request ?? source.subject;
  const weighted = termVector({ request, content: source.content });
  const terms: TermVector = new Map();
  const anchors = new Set<string>();
  const termWords = new Map<string, string>();
  for (const [term, weight] of weighted.vector) {
    const key = termDigest(sealer, term);
    terms.set(key, (terms.get(key) ?? 0) + weight);
    termWords.set(key, term);
    if (weighted.anchors.has(term)) anchors.add(key);
  }
  return {
    caseId: source.caseId,
    registeredAt: new Date(source.registeredAt),
    regionCode: source.regionCode,
    category: source.category,
    kind: source.kind,
    persons: personDigests(sealer, source),
    words: digest(sealer, 'similarity-words', `${normalisedWords(request)}\n${normalisedWords(source.content)}`),
    terms,
    anchors,
    termWords,
  };
}

// ── Entries ─────────────────────────────────────────────────────────────────────────────────────────────────────
// One case is one line of tab-separated fields: case ID, registration time (epoch ms in base 36), region, category,
// kind, person digests (comma-separated), words digest, terms, anchors. Terms are fixed-width records of a 6-character
// digest and a 2-character weight (thousandths, base 36); anchors are the anchors' digests one after another. Pages
// of these lines are what a search reads from the server, so every character counts.

const WEIGHT_SCALE = 1000;
const WEIGHT_CHARS = 2;
const TERM_RECORD = TERM_DIGEST_CHARS + WEIGHT_CHARS;
const FIELDS = { at: 1, persons: 5, terms: 7 } as const;

export function encodeMatter(matter: Matter): string {
  const terms = [...matter.terms]
    .map(([key, weight]) => {
      const scaled = Math.min(36 ** WEIGHT_CHARS - 1, Math.max(1, Math.round(weight * WEIGHT_SCALE)));
      return key + scaled.toString(36).padStart(WEIGHT_CHARS, '0');
    })
    .join('');
  return [
    matter.caseId,
    matter.registeredAt.getTime().toString(36),
    matter.regionCode,
    matter.category,
    matter.kind,
    matter.persons.join(','),
    matter.words,
    terms,
    [...matter.anchors].join(''),
  ].join('\t');
}

export function decodeMatter(line: string): Matter {
  const [caseId, at, regionCode, category, kind, persons, words, terms = '', anchors = ''] = line.split('\t');
  const vector: TermVector = new Map();
  for (let i = 0; i + TERM_RECORD <= terms.length; i += TERM_RECORD) {
    const weight = parseInt(terms.slice(i + TERM_DIGEST_CHARS, i + TERM_RECORD), 36) / WEIGHT_SCALE;
    vector.set(terms.slice(i, i + TERM_DIGEST_CHARS), weight);
  }
  const anchorSet = new Set<string>();
  for (let i = 0; i + TERM_DIGEST_CHARS <= anchors.length; i += TERM_DIGEST_CHARS)
    anchorSet.add(anchors.slice(i, i + TERM_DIGEST_CHARS));
  return {
    caseId: caseId!,
    registeredAt: new Date(parseInt(at!, 36)),
    regionCode: regionCode!,
    category: category!,
    kind: kind!,
    persons: persons ? persons.split(',') : [],
    words: words!,
    terms: vector,
    anchors: anchorSet,
  };
}

/** Where field `n` of a line starts, and where it ends. */
function field(line: string, n: number): [number, number] {
  let start = 0;
  for (let i = 0; i < n; i++) start = line.indexOf('\t', start) + 1;
  const end = line.indexOf('\t', start);
  return [start, end < 0 ? line.length : end];
}

/** When an entry's case was registered, read without decoding the rest. */
export function entryRegisteredAt(line: string): number {
  const [start, end] = field(line, FIELDS.at);
  return parseInt(line.slice(start, end), 36);
}

/** Whether an entry's case shares a petitioner digest with the asking one, read without decoding the rest. */
export function entrySharesPerson(asking: Matter, line: string): boolean {
  if (asking.persons.length === 0) return false;
  const [start, end] = field(line, FIELDS.persons);
  return asking.persons.some((person) => {
    const at = line.indexOf(person, start);
    return at >= 0 && at < end;
  });
}

/**
 * The text similarity of an entry to the asking case (as `cosine` computes it, each term's part capped), read
 * straight from the line: a search skips most entries on this without decoding them.
 */
export function entrySimilarity(asking: Matter, line: string, maxTermShare: number): number {
  const [start, end] = field(line, FIELDS.terms);
  let similarity = 0;
  for (let i = start; i + TERM_RECORD <= end; i += TERM_RECORD) {
    const weight = asking.terms.get(line.slice(i, i + TERM_DIGEST_CHARS));
    if (weight === undefined) continue;
    const other = parseInt(line.slice(i + TERM_DIGEST_CHARS, i + TERM_RECORD), 36) / WEIGHT_SCALE;
    similarity += Math.min(weight * other, maxTermShare);
  }
  return Math.min(1, similarity);
}
