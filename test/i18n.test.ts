import i18next, { type i18n } from 'i18next';
import { CATALOGUES, cite, citation, isMessage, LANGS, message, renderMessage, translate } from '../domain/i18n';
import {
  chineseNumeral,
  formatArticle,
  formatDueEnd,
  formatInstant,
  formatLocalDate,
  type Lang,
} from '../domain/i18n/format';
import { catalogueSamples, formatInSandbox } from './env/catalogue-workflow';
import { testWorkflowWorker } from '../harness/case-stack';
import { uniqueName } from '../harness/shared-servers';

const PLURAL = /_(zero|one|two|few|many|other)$/;
const baseKey = (key: string): string => key.replace(PLURAL, '');

/** A text's placeholders: each one's name and its format's, lower-cased (`plain` for a value as it is). */
function placeholderFormats(text: string): [name: string, format: string][] {
  return [...text.matchAll(/\{\{([^}]+)\}\}/g)].map((m) => {
    const [name, format] = m[1]!.split(',').map((part) => part.trim());
    return [name!, format?.toLowerCase() ?? 'plain'];
  });
}

function placeholders(text: string): string[] {
  return placeholderFormats(text).map(([name]) => name);
}

/** Per base key: the placeholders of all its forms in one language. */
function placeholdersByKey(catalogue: Readonly<Record<string, string>>): Map<string, Set<string>> {
  const byKey = new Map<string, Set<string>>();
  for (const [key, text] of Object.entries(catalogue)) {
    const names = byKey.get(baseKey(key)) ?? new Set<string>();
    for (const name of placeholders(text)) names.add(name);
    byKey.set(baseKey(key), names);
  }
  return byKey;
}

describe('the catalogue', () => {
  it('has every key in both languages', () => {
    const [zh, en] = LANGS.map((lang) => new Set(Object.keys(CATALOGUES[lang]).map(baseKey)));
    expect([...zh!].filter((key) => !en!.has(key))).toEqual([]);
    expect([...en!].filter((key) => !zh!.has(key))).toEqual([]);
    expect(zh!.size).toBeGreaterThan(100);
  });

  it('gives each key the same placeholders in both languages (count may only choose a plural form)', () => {
    const zh = placeholdersByKey(CATALOGUES['zh-CN']);
    const en = placeholdersByKey(CATALOGUES.en);
    const pluralInEnglish = new Set(
      Object.keys(CATALOGUES.en)
        .filter((k) => PLURAL.test(k))
        .map(baseKey),
    );
    const differing: string[] = [];
    for (const [key, names] of zh) {
      const other = en.get(key) ?? new Set<string>();
      const strip = (set: Set<string>) => [...set].filter((n) => !(n === 'count' && pluralInEnglish.has(key))).sort();
      if (JSON.stringify(strip(names)) !== JSON.stringify(strip(other))) {
        differing.push(`${key}: zh-CN {${strip(names).join(', ')}} en {${strip(other).join(', ')}}`);
      }
    }
    expect(differing).toEqual([]);
  });

  it('gives every English plural both its singular and its plural form', () => {
    const keys = Object.keys(CATALOGUES.en);
    const plurals = new Set(keys.filter((k) => PLURAL.test(k)).map(baseKey));
    const incomplete = [...plurals].filter((k) => !keys.includes(`${k}_one`) || !keys.includes(`${k}_other`));
    expect(incomplete).toEqual([]);
  });

  it('formats counts, citations and stored messages', () => {
    expect(translate('zh-CN', 'reminder.daysLeft', { deadline: 'C5 办理期限', count: 10 })).toBe(
      'C5 办理期限 — 剩余10天提醒',
    );
    expect(translate('en', 'reminder.daysLeft', { deadline: 'C5 handling deadline', count: 1 })).toBe(
      'C5 handling deadline — 1 day left reminder',
    );
    expect(cite('xinfang', [22, 23], 'zh-CN')).toBe('《信访工作条例》第二十二条、第二十三条');
    expect(cite('civilCode', [203], 'en')).toBe('Civil Code Art 203');
    const stored = JSON.parse(JSON.stringify(message('problem.detail.noRoute', { method: 'GET', path: '/v2' })));
    expect(renderMessage(stored, 'zh-CN')).toBe('没有 GET /v2 这一接口');
    expect(renderMessage(stored, 'en')).toBe('no route for GET /v2');
  });

  it('renders a message within a message, and a list of them, in the outer message’s language', () => {
    const refusal = message('rule.wrongStage', {
      what: message('what.hearing'),
      stage: message('stage.handling'),
      stages: [message('stage.re_review_requested'), message('stage.review_requested')],
    });
    expect(renderMessage(refusal, 'zh-CN')).toBe(
      '该信访事项处于“办理中”阶段，不能听证（仅限已请求复核、已请求复查阶段）',
    );
    expect(renderMessage(refusal, 'en')).toBe(
      'a hearing is not possible while the case is handling (allowed when re_review_requested, review_requested)',
    );
    // Nested twice (a citation inside a refusal), and as it comes back from JSON (a failure's details).
    const stored = JSON.parse(JSON.stringify(message('rule.extendedOnce', { citation: citation('xinfang', [34]) })));
    expect(isMessage(stored)).toBe(true);
    expect(renderMessage(stored, 'zh-CN')).toBe('办理期限只能延长一次（《信访工作条例》第三十四条）');
    expect(renderMessage(stored, 'en')).toBe(
      'the handling period can be extended once only (Regulations on Letters and Visits Art 34)',
    );
    // Plain words in a list stay as they are; only messages are translated.
    expect(translate('en', 'rule.unknownUnits', { units: ['330100-XX', '330100-YY'] })).toBe(
      'unit 330100-XX, 330100-YY is not in the directory; name a unit that exists',
    );
  });

  it('tells a catalogue message from anything else a failure may carry', () => {
    expect(isMessage({ key: 'rule.caseNotFound' })).toBe(true);
    expect(isMessage({ key: 'rule.noSuchCase', params: { caseId: 'C-1', extra: [message('stage.merged')] } })).toBe(
      true,
    );
    expect(isMessage({ key: 'no.such.key' })).toBe(false);
    expect(isMessage({ key: 'rule.noSuchCase', params: { caseId: { nested: true } } })).toBe(false);
    expect(isMessage('rule.caseNotFound')).toBe(false);
    expect(isMessage(null)).toBe(false);
  });

  it('leaves words from outside (a petitioner’s text) as they are, placeholders and all', () => {
    const text = translate('zh-CN', 'reply.request', { request: '{{request}} $t(list.separator) <b>' });
    expect(text).toBe('信访诉求：{{request}} $t(list.separator) <b>');
  });
});

/** i18next 26 as the catalogue was rendered with it until ./domain/i18n/template.ts: the reference for every text. */
function i18nextAsItWas(): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    resources: { 'zh-CN': { translation: CATALOGUES['zh-CN'] }, en: { translation: CATALOGUES.en } },
    lng: 'zh-CN',
    fallbackLng: 'zh-CN',
    supportedLngs: [...LANGS],
    keySeparator: false,
    nsSeparator: false,
    initAsync: false,
    returnNull: false,
    interpolation: { escapeValue: false },
  });
  const langOf = (lng: string | undefined): Lang => (lng === 'en' ? 'en' : 'zh-CN');
  const formatter = instance.services.formatter!;
  formatter.add('localDate', (value, lng) => formatLocalDate(value, langOf(lng)));
  formatter.add('dueEnd', (value, lng) => formatDueEnd(value, langOf(lng)));
  formatter.add('instant', (value, lng) => formatInstant(value, langOf(lng)));
  formatter.add('article', (value, lng) => formatArticle(value, langOf(lng)));
  return instance;
}

/** Values for each kind of placeholder, the ones a format refuses among them. */
const SAMPLES: Record<string, readonly unknown[]> = {
  plain: ['甲', '{{request}} $t(list.separator) <b>&amp;', 0, 12.5, '', null],
  localdate: ['2026-12-08', '2026-12-07T16:00:00Z', 1_796_659_200_000, 'not a date', null],
  dueend: ['2026-05-07T00:00:00+08:00', '2026-05-06', 'soon'],
  instant: ['2026-12-02T01:00:00Z', '2026-12-02T09:00:00+08:00', '2026-12-02'],
  article: [36, '203', 'x'],
};
const COUNTS = [0, 1, 2, 10, 1.5];

describe('the catalogue’s renderer', () => {
  const reference = i18nextAsItWas();
  /** `translate` with values its types would refuse: missing, undefined, null, ones a format refuses. */
  const ours = translate as (lang: Lang, key: string, params?: Record<string, unknown>) => string;

  /** Per base key: its placeholders in either language, with their formats. */
  const formatsByKey = new Map<string, Map<string, string>>();
  for (const lang of LANGS) {
    for (const [entry, text] of Object.entries(CATALOGUES[lang])) {
      const formats = formatsByKey.get(baseKey(entry)) ?? new Map<string, string>();
      for (const [name, format] of placeholderFormats(text)) formats.set(name, format);
      formatsByKey.set(baseKey(entry), formats);
    }
  }
  const pluralKeys = new Set(
    Object.keys(CATALOGUES.en)
      .filter((entry) => PLURAL.test(entry))
      .map(baseKey),
  );

  /** Parameters for a key: the n-th sample of each placeholder's kind, and every count. */
  function paramSets(key: string): Record<string, unknown>[] {
    const formats = formatsByKey.get(key) ?? new Map<string, string>();
    const sets: Record<string, unknown>[] = [];
    for (let n = 0; n < 6; n++) {
      const set: Record<string, unknown> = {};
      for (const [name, format] of formats) {
        if (name === 'count') continue;
        const samples = SAMPLES[format] ?? SAMPLES.plain!;
        set[name] = samples[n % samples.length];
      }
      for (const count of pluralKeys.has(key) || formats.has('count') ? COUNTS : [undefined]) {
        sets.push(count === undefined ? { ...set } : { ...set, count });
      }
    }
    return sets;
  }

  it('renders every key of both languages as i18next did, whatever the values', () => {
    const keys = [...new Set(Object.keys(CATALOGUES['zh-CN']).map(baseKey))];
    const differ: string[] = [];
    let compared = 0;
    for (const lang of LANGS) {
      for (const key of keys) {
        for (const params of paramSets(key)) {
          const text = ours(lang, key, params);
          const theirs = reference.t(key, { ...params, lng: lang });
          compared += 1;
          if (text !== theirs) differ.push(`${lang} ${key} ${JSON.stringify(params)}: ${text} ≠ ${theirs}`);
        }
      }
    }
    expect(differ).toEqual([]);
    expect(compared).toBeGreaterThan(keys.length * 2 * 6);
  });

  it('leaves a placeholder whose parameter is missing, and renders one given as undefined as i18next did', () => {
    for (const lang of LANGS) {
      for (const params of [{}, { deadline: undefined }, { deadline: undefined, count: 3 }, { count: 3 }]) {
        expect(ours(lang, 'reminder.daysLeft', params)).toBe(
          reference.t('reminder.daysLeft', { ...params, lng: lang }),
        );
      }
      const formatted = { until: undefined, reason: '听证' };
      expect(ours(lang, 'deadline.openPause', formatted)).toBe(
        reference.t('deadline.openPause', { ...formatted, lng: lang }),
      );
    }
    expect(ours('zh-CN', 'reminder.daysLeft', {})).toBe('{{deadline}} — 剩余{{count}}天提醒');
  });
});

describe('dates and numerals', () => {
  it('writes a deadline end as the last day at 24时, from dueAt or from the last day', () => {
    expect(formatDueEnd('2026-12-09T00:00:00+08:00', 'zh-CN')).toBe('2026年12月8日24时');
    expect(formatDueEnd('2026-12-08T16:00:00Z', 'zh-CN')).toBe('2026年12月8日24时');
    expect(formatDueEnd('2026-12-08', 'zh-CN')).toBe('2026年12月8日24时');
    expect(formatDueEnd('2026-12-09T00:00:00+08:00', 'en')).toBe('2026-12-08 24:00 (+08:00)');
  });

  it('writes instants and dates in Asia/Shanghai', () => {
    expect(formatInstant('2026-12-02T01:00:00Z', 'zh-CN')).toBe('2026年12月2日 09:00');
    expect(formatInstant(Date.parse('2026-12-01T16:30:00Z'), 'en')).toBe('2026-12-02 00:30 (UTC+8)');
    expect(formatLocalDate('2026-01-31T17:00:00Z', 'zh-CN')).toBe('2026年2月1日');
    expect(formatLocalDate('2026-02-01', 'en')).toBe('2026-02-01');
    expect(() => formatInstant('yesterday', 'zh-CN')).toThrow(/instant/);
  });

  it('numbers articles in Chinese', () => {
    const cases: [number, string][] = [
      [1, '一'],
      [10, '十'],
      [11, '十一'],
      [20, '二十'],
      [23, '二十三'],
      [100, '一百'],
      [101, '一百零一'],
      [110, '一百一十'],
      [203, '二百零三'],
      [1005, '一千零五'],
      [1260, '一千二百六十'],
    ];
    expect(cases.map(([n]) => chineseNumeral(n))).toEqual(cases.map(([, text]) => text));
  });
});

describe('the catalogue in the workflow sandbox', () => {
  it('bundles into workflow code and formats there exactly as outside it', async () => {
    const { worker, taskQueue, temporal } = await testWorkflowWorker(
      require.resolve('./env/catalogue-workflow'),
      'catalogue',
    );
    try {
      const inSandbox = await worker.runUntil(
        Promise.all(
          LANGS.map((lang) =>
            temporal.client.workflow.execute(formatInSandbox, {
              args: [lang],
              taskQueue,
              workflowId: uniqueName(`catalogue-${lang}`),
            }),
          ),
        ),
      );
      expect(inSandbox).toEqual(LANGS.map((lang) => catalogueSamples(lang)));
      expect(inSandbox[0]).toContain('C5 办理期限 — 剩余10天提醒');
      expect(inSandbox[0]).toContain(
        '如对本意见不服，你可以在2026年12月8日24时前向上一级机关请求复查（《信访工作条例》第三十五条）。期限计算：…',
      );
      expect(inSandbox[1]).toContain('C5 handling deadline — 10 days left reminder');
    } finally {
      await temporal.close();
    }
  });
});
