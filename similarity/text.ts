/**
 * The words of a petition as weighted terms: jieba segmentation (`@node-rs/jieba`, with its dictionary and IDF table),
 * person names and numbers dropped, boilerplate dropped, variants spelt one way (thesaurus.json), TF-IDF weights.
 */
import { Jieba } from '@node-rs/jieba';
import { dict, idf as idfTable } from '@node-rs/jieba/dict';
import thesaurus from './thesaurus.json';

/** Terms and weights of unit length: the dot product of two vectors is their cosine. */
export type TermVector = Map<string, number>;

/** A petition's weighted terms, and which of them are anchors. */
export interface WeightedTerms {
  vector: TermVector;
  anchors: Set<string>;
}

/**
 * Person names never become terms, so never reach the index. jieba tags names `nr`, but its dictionary tags many
 * other words so too (养老院, 玉泉, 阿姨): a word counts as a name when it is tagged so, has two to four characters,
 * starts with a common surname and does not end like a place or an institution.
 */
const PERSON_TAGS = new Set(['nr', 'nrfg', 'nrt']);
const SURNAMES = new Set(
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
);
/** Numerals and measure words (三个月, 四十六万): they change from one retelling of a matter to the next. */
const NUMBER_TAGS = new Set(['m', 'mq', 'q']);
const HAS_HAN_OR_LETTER = /[\p{Script=Han}a-z]/u;

const STOP_WORDS = new Set(thesaurus.stopWords);
const CANONICAL = new Map(
  Object.entries(thesaurus.synonyms as Record<string, string[]>).flatMap(([word, variants]) =>
    variants.map((variant) => [variant, word] as const),
  ),
);
/** Every variant and every canonical word, longest first, so 占道经营 is matched before its variant 占道. */
const SPELLINGS = new RegExp(
  [...CANONICAL.keys(), ...new Set(CANONICAL.values())]
    .sort((a, b) => b.length - a.length)
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|'),
  'gu',
);

/**
 * Anchors name where or whom a matter concerns: a place, estate, firm or institution (万科, 翠苑, 上塘河, 联华超市).
 * Two letters about construction noise are one matter only if they are about one site, so anchors weigh double.
 * Administrative areas are left to the region code. jieba marks a word it does not know with `x`; such a word is an
 * anchor unless it holds a character that marks a fragment of a sentence (住翠苑, 没发, 去查) rather than a name.
 */
const ANCHOR_TAGS = new Set(['ns', 'nt', 'nz', 'x']);
const ANCHOR_SUFFIX =
  /(路|街|巷|村|镇|乡|苑|园|府|湾|庭|厂|公司|医院|学校|小学|中学|超市|酒吧|店|站|河|港|桥|社区|小区|新村|家园|花园|中心)$/u;
const ADMINISTRATIVE = /(省|市|区|县|州)$/u;
const FRAGMENT =
  /[我你他她它们的了得着过到去来说会要没不未是有在给和与及就都全只也还又再被把让向往从自以一二三四五六七八九十几多少个这那些么吗呢吧啊每各该此其即先时月年日号人钱看写装管问查开交用能行花住]/u;
const ANCHOR_WEIGHT = 2;

/** What a petition asks for weighs a quarter of its content: where the request is the subject line, it is a label. */
const REQUEST_WEIGHT = 0.25;
/** At most this many terms per case, the heaviest: what the index stores for one case. */
export const MAX_TERMS = 48;

let jieba: Jieba | undefined;
let idf: Map<string, number> | undefined;

/**
 * Loads the dictionary once per process, on first use (about 0.3 s and 90 MB), with the thesaurus's canonical words,
 * so that 过渡费 and 安置房 stay whole instead of falling into 过渡 + 费.
 */
function segmenter(): Jieba {
  if (!jieba) {
    jieba = Jieba.withDict(dict);
    jieba.loadDict(Buffer.from([...new Set(CANONICAL.values())].map((word) => `${word} 1000 n`).join('\n')));
  }
  return jieba;
}

function idfTableLoaded(): Map<string, number> {
  if (!idf) {
    idf = new Map();
    for (const line of Buffer.from(idfTable).toString('utf8').split('\n')) {
      const space = line.indexOf(' ');
      if (space > 0) idf.set(line.slice(0, space), Number(line.slice(space + 1)));
    }
  }
  return idf;
}

/**
 * A word jieba's table does not know was found by its HMM: a name as often as a fragment of a sentence. It weighs as
 * a common noun (8; the table's median, 12, let fragments outweigh the matter's own words).
 */
const UNKNOWN_IDF = 8;

function idfOf(term: string): number {
  return idfTableLoaded().get(term) ?? UNKNOWN_IDF;
}

function isPersonName(word: string, tag: string): boolean {
  return (
    PERSON_TAGS.has(tag) &&
    word.length >= 2 &&
    word.length <= 4 &&
    SURNAMES.has(word[0]!) &&
    !ANCHOR_SUFFIX.test(word) &&
    !word.endsWith('院')
  );
}

function isAnchor(word: string, tag: string): boolean {
  if (word.length < 2 || ADMINISTRATIVE.test(word)) return false;
  if (!ANCHOR_TAGS.has(tag) && !(word.length > 2 && ANCHOR_SUFFIX.test(word))) return false;
  return idfTableLoaded().has(word) || !FRAGMENT.test(word);
}

/** The terms of a text with their counts, and which of them are anchors. */
export interface TermCounts {
  counts: Map<string, number>;
  anchors: Set<string>;
}

/**
 * The terms of a text and how often each occurs. Names of persons (jieba tags them), digits (phone and ID numbers,
 * house numbers, amounts) and numerals never become terms; a long word also counts as its parts (拆迁补偿款 →
 * 拆迁, 补偿, 补偿款), as jieba's search mode cuts, so two spellings of one compound still meet.
 */
export function termCounts(text: string): TermCounts {
  const counts = new Map<string, number>();
  const anchors = new Set<string>();
  const add = (term: string): boolean => {
    if (term.length < 2 || STOP_WORDS.has(term) || /\d/.test(term)) return false;
    counts.set(term, (counts.get(term) ?? 0) + 1);
    return true;
  };
  const jieba = segmenter();
  const spelt = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(SPELLINGS, (word) => CANONICAL.get(word) ?? word);
  for (const { word, tag } of jieba.tag(spelt, true)) {
    if (isPersonName(word, tag) || NUMBER_TAGS.has(tag) || /\d/.test(word) || !HAS_HAN_OR_LETTER.test(word)) continue;
    // 西湖区, 萧山区 and their parts (萧山, 山区): where a case is, the region code says better.
    if (tag === 'ns' && ADMINISTRATIVE.test(word)) continue;
    if (add(word) && isAnchor(word, tag)) anchors.add(word);
    // 环保部门 counts as 环保, not as jieba's parts 环保部 and 部门.
    if (word.length > 2 && word.endsWith('部门')) add(word.slice(0, -2));
    else if (word.length > 2) for (const part of jieba.cutForSearch(word, false)) if (part !== word) add(part);
  }
  return { counts, anchors };
}

/** What a petition asks (诉求; the subject line where there is no separate request) and what it says. */
export interface PetitionText {
  request: string;
  content: string;
}

/**
 * TF-IDF over the content and (at a quarter weight) the request: (1 + ln tf) × idf, anchors doubled, the heaviest
 * MAX_TERMS kept, scaled to unit length. The IDF is jieba's table from a general corpus, not the office's own cases,
 * so a weight stored in the index never goes stale as cases arrive.
 */
export function termVector(text: PetitionText): WeightedTerms {
  const content = termCounts(text.content);
  const request = termCounts(text.request);
  const frequency = new Map(content.counts);
  for (const [term, count] of request.counts) frequency.set(term, (frequency.get(term) ?? 0) + REQUEST_WEIGHT * count);
  const anchors = new Set([...content.anchors, ...request.anchors]);
  const weighted = [...frequency].map(([term, tf]): [string, number] => [
    term,
    (tf < 1 ? tf : 1 + Math.log(tf)) * idfOf(term) * (anchors.has(term) ? ANCHOR_WEIGHT : 1),
  ]);
  weighted.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const vector = unitLength(new Map(weighted.slice(0, MAX_TERMS)));
  return { vector, anchors: new Set([...anchors].filter((term) => vector.has(term))) };
}

/** The Euclidean length of a vector, its weights summed in the map's order (so the same map gives the same bits). */
export function lengthOf(vector: Map<string, number>): number {
  let norm = 0;
  for (const weight of vector.values()) norm += weight * weight;
  return Math.sqrt(norm);
}

export function unitLength(vector: Map<string, number>): TermVector {
  const norm = lengthOf(vector);
  if (norm === 0) return new Map();
  return new Map([...vector].map(([term, weight]) => [term, weight / norm]));
}

/**
 * No one shared word makes two letters one matter: a short letter about a supermarket on 文三路 is not about the
 * building site on 文三路 that thirty other letters name. A term adds at most this much to a similarity.
 */
export const MAX_TERM_SHARE = 0.2;

/**
 * The cosine of two unit vectors, each shared term's part capped at MAX_TERM_SHARE, and the shared terms, the largest
 * part first.
 */
export function cosine(a: TermVector, b: TermVector): { similarity: number; shared: string[] } {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  const shares: [string, number][] = [];
  for (const [term, weight] of small) {
    const other = large.get(term);
    if (other !== undefined) shares.push([term, weight * other]);
  }
  shares.sort((x, y) => y[1] - x[1]);
  return { similarity: similarity(a, b), shared: shares.map(([term]) => term) };
}

/**
 * `cosine`'s similarity alone, of `a` and `sum` scaled to unit length by its `length` (`lengthOf`): the same number,
 * to the bit, as `cosine(a, unitLength(sum)).similarity`, without building the unit vector. Grouping compares each
 * letter with a group's running sum of terms, which changes with every letter it takes.
 */
export function similarity(a: TermVector, sum: Map<string, number>, length = 1): number {
  if (length === 0) return 0;
  let total = 0;
  if (a.size <= sum.size) {
    for (const [term, weight] of a) {
      const other = sum.get(term);
      if (other !== undefined) total += Math.min(weight * (other / length), MAX_TERM_SHARE);
    }
  } else {
    for (const [term, weight] of sum) {
      const other = a.get(term);
      if (other !== undefined) total += Math.min((weight / length) * other, MAX_TERM_SHARE);
    }
  }
  return Math.min(1, total);
}

/** The text as one line of Han characters, letters and digits: two letters with the same words give the same line. */
export function normalisedWords(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{Script=Han}\p{L}\p{N}]+/gu, '');
}
