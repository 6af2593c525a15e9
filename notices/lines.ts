/**
 * Line breaking for Chinese print: a line may end after any character, except that
 * - identifiers, numbers, Latin words and document numbers stay whole (`XF-330106-20261201-T4356M`, `2026`,
 *   `杭环信复〔2026〕12号`) unless keeping them whole would leave more than `maxGap` of a line empty: then an
 *   identifier breaks after a hyphen, a document number before its year;
 * - closing punctuation never starts a line and opening punctuation never ends one (避头尾).
 * Pure: the caller measures text in its font.
 */

/** May not start a line: closing brackets and quotes, stops, the ideographic comma, percent. */
const NO_LINE_START = new Set([...'，。、；：？！）》」』〕】”’…％·,.;:?!)]}%']);
/** May not end a line: opening brackets and quotes. */
const NO_LINE_END = new Set([...'（《「『〔【“‘([{']);
/**
 * A document number with the abbreviation before it, a run of Latin letters, digits and identifier punctuation, a
 * run of spaces, or one character.
 */
const ATOM = /[\u4e00-\u9fff]{0,6}〔\d{4}〕\d+号|[0-9A-Za-z][0-9A-Za-z.\-_/:%+@]*|\s+|./gsu;
/** Where a unit may break when it must: after a hyphen inside an identifier, before a document number's year. */
const SOFT_BREAK = /(?<=[0-9A-Za-z]-)(?=[0-9A-Za-z])|(?<=[\u4e00-\u9fff])(?=〔\d{4}〕)/u;

export interface LineOptions {
  /** Width of every line. */
  width: number;
  /** The first line's indent (a paragraph's two characters). */
  firstIndent?: number;
  /** The empty width a line may be left with before a unit is broken at a soft break; no soft breaks by default. */
  maxGap?: number;
  /** The printed width of a piece of text. */
  measure: (text: string) => number;
}

/** Atoms glued into units that may not be split: a closing mark joins the unit before it, an opening one the next. */
function units(text: string): string[] {
  const out: string[] = [];
  let glueNext = false;
  for (const atom of text.match(ATOM) ?? []) {
    const first = [...atom][0] ?? '';
    const last = [...atom].at(-1) ?? '';
    if (out.length && (glueNext || NO_LINE_START.has(first))) out[out.length - 1] += atom;
    else out.push(atom);
    glueNext = NO_LINE_END.has(last);
  }
  return out;
}

export function breakLines(text: string, options: LineOptions): string[] {
  const { width, firstIndent = 0, maxGap = Infinity, measure } = options;
  const lines: string[] = [];
  let line = '';
  const room = () => width - (lines.length === 0 ? firstIndent : 0);
  const fits = (candidate: string) => measure(candidate) <= room() + 0.01;
  const push = () => {
    lines.push(line.trimEnd());
    line = '';
  };
  const queue = units(text);
  for (let unit = queue.shift(); unit !== undefined; unit = queue.shift()) {
    const next = line === '' ? unit.trimStart() : line + unit;
    if (next === '') continue;
    if (fits(next)) {
      line = next;
      continue;
    }
    if (line !== '') {
      // Rather than leave a wide gap, take the unit's head up to a soft break, if one fits.
      const pieces = unit.split(SOFT_BREAK);
      if (pieces.length > 1 && room() - measure(line) > maxGap) {
        let head = '';
        for (const piece of pieces.slice(0, -1)) {
          if (!fits(line + head + piece)) break;
          head += piece;
        }
        if (head) {
          line += head;
          queue.unshift(unit.slice(head.length));
        } else queue.unshift(unit);
        push();
        continue;
      }
      push();
    }
    // A unit wider than a whole line is split where it must be.
    let rest = unit.trimStart();
    while (rest && !fits(rest)) {
      const chars = [...rest];
      let count = 1;
      while (count < chars.length && fits(chars.slice(0, count + 1).join(''))) count += 1;
      line = chars.slice(0, count).join('');
      rest = chars.slice(count).join('');
      push();
    }
    line = rest;
  }
  if (line.trim() !== '' || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}
