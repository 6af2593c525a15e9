/**
 * Every statutory notice as a document (issue 15): for each kind, the Chinese text has the parts of the official
 * layout, and the PDF is A4 with its Chinese fonts embedded. The first page of each is kept as a PNG in
 * test/output/notices/ for a person to look at.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  composeNotice,
  formatDocumentNumber,
  noticeText,
  type NoticeDocument,
  type NoticeKind,
} from '../domain/notices';
import { breakLines } from '../notices/lines';
import { renderNoticePdf } from '../notices/pdf';
import { NOTICES } from './fixtures/notices';

const OUTPUT = path.resolve(__dirname, 'output', 'notices');

/** poppler-utils (pdffonts, pdfinfo, pdftotext, pdftoppm): .ci/run installs it. */
function poppler(tool: string, args: string[]): string {
  try {
    return execFileSync(tool, args, { encoding: 'utf8' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${tool} is not installed: apt-get install poppler-utils`, { cause: error });
    }
    throw error;
  }
}

const TITLES: Record<NoticeKind, string> = {
  acceptance: '信访事项受理告知书',
  notAccepted: '信访事项不予受理告知书',
  notAcceptedAgain: '信访事项不再受理告知书',
  transfer: '信访事项转送告知书',
  extension: '信访事项延长办理期限告知书',
  opinion: '信访事项处理意见书',
  reviewOpinion: '信访事项复查意见书',
  reReviewOpinion: '信访事项复核意见书',
  termination: '信访事项终结告知书',
  diversion: '信访事项导入法定程序告知书',
  consultationAnswer: '信访咨询答复书',
  suggestionReply: '信访事项建议意见答复书',
  reportResult: '检举控告处理结果告知书',
  mediation: '信访事项调解协议书',
  supervision: '信访事项督办函',
};

/** What each notice must say beyond the common parts: its decision, its reasons, its deadlines. */
const SAYS: Record<NoticeKind, string[]> = {
  acceptance: ['决定予以受理', '自受理之日起30日内办结（截至2026年12月31日24时）', '查询码K7M2Q9T4W8XZ'],
  notAccepted: ['不属于信访事项受理范围', '不予受理', '你可以依法向杭州市中级人民法院提起诉讼。'],
  notAcceptedAgain: ['XF-330106-20250304-A1B2C3', '同一事实和理由', '不再受理', '社会救助'],
  transfer: ['转送杭州市生态环境局办理', '自收到之日起5个工作日内书面告知你是否受理', '谁主管、谁负责'],
  extension: [
    '因需要会同杭州市城市管理局、杭州市建设委员会对施工现场进行联合勘查',
    '原定期限（2026年12月31日24时）',
    '办理期限延长30日，至2027年2月1日24时',
    '经本机关负责人批准',
  ],
  opinion: [
    '一、信访诉求',
    '二、事实和理由',
    '你反映的情况属实',
    '三、处理意见',
    '你的诉求合理，予以支持。',
    '本机关将于2027年1月17日24时前落实以下事项',
    '四、法律依据',
    '五、权利告知',
    '自收到本意见书之日起30日内（截至2027年1月18日24时）向浙江省生态环境厅请求复查（《信访工作条例》第三十五条）',
  ],
  reviewOpinion: [
    '你不服杭州市生态环境局于2026年12月18日作出的《信访事项处理意见书》（杭环信复〔2026〕12号）',
    '三、复查意见',
    '你的诉求合理但缺乏法律依据，特此解释说明。',
    '自收到本意见书之日起30日内向原办理机关的上一级机关请求复核（《信访工作条例》第三十六条）',
  ],
  reReviewOpinion: ['本机关于2027年3月8日举行了听证', '三、复核意见', '不予支持', '本复核意见为最终意见', '不再受理'],
  termination: ['《信访事项复核意见书》（浙信复核〔2027〕5号）', '该信访事项办理终结', '不再受理', '第三十七条'],
  diversion: ['依法应当通过仲裁程序解决', '导入仲裁程序', '你可以依法向杭州仲裁委员会申请仲裁。', '法定期限'],
  consultationAnswer: [
    '来电咨询的事项',
    '现答复如下：灵活就业人员可以持本人身份证件',
    '不适用复查、复核程序',
    '满意度评价（截至2026年12月6日24时）',
  ],
  suggestionReply: ['决定部分采纳', '理由如下：该路口行人流量较大', '采纳情况：', '给予奖励', '不适用复查、复核程序'],
  reportResult: ['来访提出的检举控告', '处理结果告知如下：经核查', '严格保密', '不适用信访复查、复核程序'],
  mediation: [
    '甲方（信访人）：张三',
    '乙方：浙江某某建设有限公司',
    '调解单位：杭州市西湖区人民调解委员会',
    '一、乙方自2026年12月13日起不在22时至次日6时施工',
    '三、甲方收到补偿款后，不再就本事项提出其他要求。',
    '甲方（签字）：',
    '乙方（签字或者盖章）：',
  ],
  supervision: [
    '转送（交办）你单位办理的信访事项',
    '经查，处理意见未得到落实：',
    '于2027年2月12日24时前将办理情况书面报送本机关',
    '提请上一级机关督办',
  ],
};

const DATES: Record<NoticeKind, string> = Object.fromEntries(
  Object.entries(NOTICES).map(([kind, input]) => {
    const [y, m, d] = input.issuedOn.slice(0, 10).split('-').map(Number);
    return [kind, `${y}年${m}月${d}日`];
  }),
) as Record<NoticeKind, string>;

const kinds = Object.keys(NOTICES) as NoticeKind[];

describe('statutory notices as text', () => {
  it.each(kinds)('%s has every part of the official layout, in Chinese', (kind) => {
    const input = NOTICES[kind];
    const doc = composeNotice(input);
    const text = noticeText(doc);
    expect(doc.title).toBe(TITLES[kind]);
    expect(text.split('\n')[0]).toBe(TITLES[kind]);
    expect(text).toContain(formatDocumentNumber(input.documentNumber));
    expect(text).toContain(input.caseNumber);
    // The addressee: the petitioner, the unit a supervision letter goes to, or an agreement's parties.
    if (input.kind === 'supervision') expect(text).toContain(`${input.unit}：`);
    else if (input.kind === 'mediation') expect(doc.parties).toContain(`甲方（信访人）：${input.petitioner}`);
    else expect(text).toContain(`\n${input.petitioner}：\n`);
    // The matter: the request without its closing full stop, or the subject of a supervised case.
    expect(doc.matter.length).toBeGreaterThan(5);
    expect(text).toContain(doc.matter);
    expect(doc.blocks.length).toBeGreaterThanOrEqual(3);
    expect(doc.legalBasis.length).toBeGreaterThan(0);
    for (const citation of doc.legalBasis) expect(text).toContain(citation);
    // A consultation rests on the rules the answer cites; every other notice on an article of the regulation.
    if (kind !== 'consultationAnswer')
      expect(doc.legalBasis.some((c) => c.startsWith('《信访工作条例》第'))).toBe(true);
    expect(doc.rights.length).toBeGreaterThan(0);
    for (const right of doc.rights) expect(text).toContain(right);
    expect(text.trimEnd().endsWith(`${input.issuer}\n${DATES[kind]}`)).toBe(true);
    for (const phrase of SAYS[kind]) expect([kind, text]).toEqual([kind, expect.stringContaining(phrase)]);
    // Nothing left unformatted, and no English in a Chinese notice.
    expect(text).not.toMatch(/\{\{|notice\.|[A-Za-z]{3,} [A-Za-z]{3,}/);
  });

  it('never names the petitioner in a supervision letter to a unit (a report would name its reporter)', () => {
    const text = noticeText(composeNotice(NOTICES.supervision));
    expect(text).not.toContain('张三');
    expect(text).not.toContain('李四');
    expect(Object.keys(NOTICES.supervision)).not.toContain('petitioner');
  });

  it('says "within 30 days" without a date while the notice is not yet served', () => {
    const unserved = { ...NOTICES.opinion, review: { days: 30 } };
    const text = noticeText(composeNotice(unserved));
    expect(text).toContain('可以自收到本意见书之日起30日内向原办理机关的上一级机关请求复查');
    expect(text).not.toContain('截至2027年1月18日24时');
  });

  it('composes each notice in English too, from the same catalogue', () => {
    for (const kind of kinds) {
      const text = noticeText(composeNotice(NOTICES[kind], 'en'));
      expect([kind, text]).toEqual([kind, expect.not.stringMatching(/\{\{|notice\./)]);
    }
    const opinion = noticeText(composeNotice(NOTICES.opinion, 'en'));
    expect(opinion).toContain('Written reply (opinion)');
    expect(opinion).toContain('within 30 days of receiving it (until 2027-01-18 24:00 (+08:00))');
    expect(opinion).toContain('Regulations on Letters and Visits Art 35');
  });

  it('numbers documents as GB/T 9704 does', () => {
    expect(formatDocumentNumber({ prefix: '杭环信复', year: 2026, sequence: 12 })).toBe('杭环信复〔2026〕12号');
    expect(() => formatDocumentNumber({ prefix: '杭环信复', year: 2026, sequence: 0 })).toThrow(/sequence/);
    expect(() => formatDocumentNumber({ prefix: '', year: 2026, sequence: 1 })).toThrow(/prefix/);
    expect(() => formatDocumentNumber({ prefix: '杭环信复', year: 26, sequence: 1 })).toThrow(/year/);
  });
});

describe('statutory notices as PDF', () => {
  let dir: string;
  const pdfs = new Map<NoticeKind, { file: string; doc: NoticeDocument }>();

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'notices-'));
    mkdirSync(OUTPUT, { recursive: true });
    for (const kind of kinds) {
      const doc = composeNotice(NOTICES[kind]);
      const file = path.join(dir, `${kind}.pdf`);
      writeFileSync(file, await renderNoticePdf(doc));
      pdfs.set(kind, { file, doc });
    }
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(kinds)('%s is an A4 PDF of one page or more with its Chinese fonts embedded', (kind) => {
    const { file, doc } = pdfs.get(kind)!;
    const info = poppler('pdfinfo', [file]);
    expect(Number(/^Pages:\s+(\d+)/m.exec(info)?.[1])).toBeGreaterThanOrEqual(1);
    expect(info).toMatch(/^Page size:\s+595\.2\d x 841\.8\d pts \(A4\)/m);
    expect(info).toMatch(new RegExp(`^Title:\\s+${doc.title} ${doc.documentNumber}$`, 'm'));
    // pdffonts: name, type, encoding, then emb / sub / uni. Every font embedded, subset and mapped to Unicode.
    const fonts = poppler('pdffonts', [file]).split('\n').slice(2).filter(Boolean);
    expect(fonts.map((line) => line.split(/\s+/)[0]!.replace(/^[A-Z]{6}\+/, ''))).toEqual(
      expect.arrayContaining(['NotoSerifCJKsc-Bold', 'NotoSerifCJKsc-Regular']),
    );
    for (const line of fonts) expect(line).toMatch(/\s+yes\s+yes\s+yes\s+\d+\s+\d+$/);
    // The text is real text: it reads back, title and number first.
    const firstPage = poppler('pdftotext', ['-f', '1', '-l', '1', '-layout', file, '-']);
    expect(firstPage).toContain(doc.title);
    expect(firstPage).toContain(doc.documentNumber);
    const all = poppler('pdftotext', [file, '-']).replace(/\s+/g, '');
    expect(all).toContain(doc.issuer);
    expect(all).toContain(doc.date);
    // Its first page as an image for a person to look at.
    const png = path.join(OUTPUT, kind);
    poppler('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', file, png]);
    expect(statSync(`${png}.png`).size).toBeGreaterThan(10_000);
  });

  it('prints headings in the sans-serif face (黑体) where an opinion has them', () => {
    const fonts = poppler('pdffonts', [pdfs.get('opinion')!.file]);
    expect(fonts).toContain('NotoSansCJKsc-Regular');
  });

  it('gives the same bytes for the same notice', async () => {
    const doc = composeNotice(NOTICES.acceptance);
    expect((await renderNoticePdf(doc)).equals(await renderNoticePdf(doc))).toBe(true);
  });
});

describe('line breaking for Chinese print', () => {
  // A full-width character is 1 wide, a half-width one 0.5.
  const measure = (text: string) => [...text].reduce((w, c) => w + (c.charCodeAt(0) < 0x2000 ? 0.5 : 1), 0);

  it('never starts a line with a closing mark or ends one with an opening mark', () => {
    const text = '经审查，你反映的事项（信访事项编号见上）属于本机关职权范围，本机关决定予以受理。';
    for (let width = 4; width <= 12; width += 1) {
      const lines = breakLines(text, { width, measure });
      expect(lines.join('')).toBe(text);
      for (const line of lines.slice(1))
        expect([width, line]).toEqual([width, expect.not.stringMatching(/^[，。、；：）》]/)]);
      for (const line of lines) expect([width, line]).toEqual([width, expect.not.stringMatching(/[（《“]$/)]);
    }
  });

  it('keeps a case number and a document number whole where they fit', () => {
    const text = '信访事项编号：XF-330106-20261201-T4356M，依据杭环信复〔2026〕12号意见书。';
    const lines = breakLines(text, { width: 16, measure });
    expect(lines.some((line) => line.includes('XF-330106-20261201-T4356M'))).toBe(true);
    expect(lines.some((line) => line.includes('杭环信复〔2026〕12号'))).toBe(true);
  });

  it('breaks an identifier after a hyphen rather than leave a wide gap, and splits what is wider than a line', () => {
    const lines = breakLines('编号：XF-330106-20261201-T4356M。', { width: 10, maxGap: 2, measure });
    expect(lines[0]).toBe('编号：XF-330106-');
    expect(lines.join('')).toBe('编号：XF-330106-20261201-T4356M。');
    const long = breakLines('ABCDEFGHIJKLMNOPQRSTUVWXYZ', { width: 4, measure });
    expect(long).toEqual(['ABCDEFGH', 'IJKLMNOP', 'QRSTUVWX', 'YZ']);
  });
});
