/**
 * A notice as a printable A4 PDF in the layout of GB/T 9704-2012 (党政机关公文格式): 版心 156 × 225 mm with margins
 * of 37 mm (top) and 28 mm (left), 22 lines of 28 characters in 三号 (16 pt) type, justified, the title in 二号
 * (22 pt), the issuer centred over the date, which stands four characters from the right edge, and page numbers
 * `— 1 —` outside. Lines break as Chinese print does (notices/lines.ts). The fonts are Noto CJK from the system
 * (notices/fonts.ts), embedded as subsets.
 *
 * The standard's typefaces are substituted: 小标宋 → Noto Serif CJK SC Bold (title), 仿宋 → Noto Serif CJK SC
 * (body), 黑体 → Noto Sans CJK SC (headings).
 *
 *   renderNoticePdf(document, { fonts? }) → Promise<Buffer>   (the same document gives the same bytes)
 */
import PDFDocument from 'pdfkit';
import type { NoticeDocument } from '../domain/notices';
import { loadNoticeFonts, type NoticeFonts } from './fonts';
import { breakLines } from './lines';

const MM = 72 / 25.4;
const PAGE = { width: 210 * MM, height: 297 * MM };
const MARGIN = { top: 37 * MM, left: 28 * MM, right: 26 * MM, bottom: 35 * MM };
const WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const BOTTOM = PAGE.height - MARGIN.bottom;
const BODY_SIZE = 16;
/** 22 lines in the 225 mm 版心. */
const LINE = (225 * MM) / 22;
/** 28 characters across the 156 mm 版心. */
const CHAR = WIDTH / 28;
const SPACING = CHAR - BODY_SIZE;
/** Justification adds at most half a character between characters; a line that would need more stays ragged. */
const MAX_STRETCH = BODY_SIZE / 2;
/** An identifier or document number breaks (after a hyphen, before the year) rather than leave more than this empty. */
const MAX_GAP = 2 * CHAR;

type Pdf = PDFKit.PDFDocument;
type Face = 'title' | 'body' | 'heading';

interface Style {
  face: Face;
  size: number;
  /** Distance from one baseline to the next. */
  pitch: number;
  spacing: number;
  indent: number;
  align: 'justify' | 'left' | 'center';
}

const BODY: Style = { face: 'body', size: BODY_SIZE, pitch: LINE, spacing: SPACING, indent: 0, align: 'left' };
const PARAGRAPH: Style = { ...BODY, indent: 2 * CHAR, align: 'justify' };
const HEADING: Style = { ...PARAGRAPH, face: 'heading' };
const TITLE: Style = { face: 'title', size: 22, pitch: 22 * 1.5, spacing: 0, indent: 0, align: 'center' };
const NUMBER: Style = { ...BODY, spacing: 0, align: 'center' };

/** Writes line by line from the top of the 版心, starting a page when one is full. */
class Writer {
  y = MARGIN.top;
  constructor(private readonly pdf: Pdf) {}

  skip(lines = 1): void {
    this.y += lines * LINE;
  }

  /** Starts a page unless `height` still fits on this one. */
  room(height: number): void {
    if (this.y + height <= BOTTOM + 0.01) return;
    this.pdf.addPage();
    this.y = MARGIN.top;
  }

  text(text: string, style: Style): void {
    const pdf = this.pdf.font(style.face).fontSize(style.size);
    const measure = (s: string, spacing = style.spacing) => pdf.widthOfString(s, { characterSpacing: spacing });
    const lines = breakLines(text, { width: WIDTH, firstIndent: style.indent, maxGap: MAX_GAP, measure });
    lines.forEach((line, i) => {
      this.room(style.pitch);
      const indent = i === 0 ? style.indent : 0;
      let x = MARGIN.left + indent;
      let spacing = style.spacing;
      if (style.align === 'center') x = MARGIN.left + (WIDTH - measure(line)) / 2;
      if (style.align === 'justify' && i < lines.length - 1 && line.length > 1) {
        const stretch = (WIDTH - indent - measure(line)) / (line.length - 1);
        if (stretch <= MAX_STRETCH) spacing += stretch;
      }
      pdf.text(line, x, this.y, { lineBreak: false, characterSpacing: spacing });
      this.y += style.pitch;
    });
  }

  /** At x, on the current line, without moving down. */
  at(text: string, x: number): void {
    this.pdf.font('body').fontSize(BODY_SIZE).text(text, x, this.y, { lineBreak: false, characterSpacing: SPACING });
  }
}

/** 发文机关署名 centred over 成文日期, which stands four characters from the right; room left for the seal. */
function signature(pdf: Pdf, out: Writer, doc: NoticeDocument): void {
  pdf.font('body').fontSize(BODY_SIZE);
  const widthOf = (text: string) => pdf.widthOfString(text, { characterSpacing: SPACING });
  const dateX = MARGIN.left + WIDTH - 4 * CHAR - widthOf(doc.date);
  const centred = dateX + widthOf(doc.date) / 2 - widthOf(doc.issuer) / 2;
  const issuerX = Math.max(MARGIN.left, Math.min(centred, MARGIN.left + WIDTH - widthOf(doc.issuer)));
  out.skip(2);
  out.room(2 * LINE);
  out.at(doc.issuer, issuerX);
  out.skip();
  out.at(doc.date, dateX);
  out.skip();
}

/** `— 1 —`, half-width, 7 mm below the 版心: odd pages on the right, even pages on the left, one character in. */
function pageNumbers(pdf: Pdf): void {
  const size = 14;
  const { start, count } = pdf.bufferedPageRange();
  for (let i = start; i < start + count; i += 1) {
    pdf.switchToPage(i);
    pdf.font('body').fontSize(size);
    const label = `— ${i + 1} —`;
    const x = (i + 1) % 2 === 1 ? PAGE.width - MARGIN.right - size - pdf.widthOfString(label) : MARGIN.left + size;
    // Below the bottom margin, where pdfkit would otherwise start a new page for the text.
    const margin = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    pdf.text(label, x, BOTTOM + 7 * MM, { lineBreak: false });
    pdf.page.margins.bottom = margin;
  }
}

function layout(pdf: Pdf, doc: NoticeDocument): void {
  const out = new Writer(pdf);
  out.text(doc.title, TITLE);
  out.skip(0.5);
  out.text(doc.documentNumber, NUMBER);
  out.skip();
  for (const party of doc.parties ?? []) out.text(party, BODY);
  if (doc.parties) out.skip();
  if (doc.addressee) out.text(doc.addressee, BODY);
  for (const block of doc.blocks) out.text(block.text, block.type === 'heading' ? HEADING : PARAGRAPH);
  if (doc.signatures) {
    for (const line of doc.signatures) {
      out.skip();
      out.text(line, BODY);
    }
  }
  signature(pdf, out, doc);
  pageNumbers(pdf);
}

export async function renderNoticePdf(doc: NoticeDocument, options: { fonts?: NoticeFonts } = {}): Promise<Buffer> {
  const fonts = options.fonts ?? (await loadNoticeFonts());
  // The document's own date as its creation date, so the same notice always gives the same bytes.
  const created = new Date(`${doc.issuedOn}T00:00:00+08:00`);
  const pdf = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    lang: doc.lang,
    displayTitle: true,
    info: {
      Title: `${doc.title} ${doc.documentNumber}`,
      Author: doc.issuer,
      Subject: doc.caseNumber,
      Creator: 'Xinfang',
      Producer: 'Xinfang',
      CreationDate: created,
      ModDate: created,
    },
  });
  pdf.registerFont('title', fonts.serifBold.data, fonts.serifBold.name);
  pdf.registerFont('body', fonts.serif.data, fonts.serif.name);
  pdf.registerFont('heading', fonts.sans.data, fonts.sans.name);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  layout(pdf, doc);
  pdf.end();
  return done;
}
