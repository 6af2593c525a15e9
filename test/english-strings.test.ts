/**
 * Everything a petitioner, a clerk or an API client reads comes from the message catalogue (domain/i18n), in Chinese
 * by default: no English sentence in a string literal of workflows/, activities/, api/ or domain/
 * (scripts/english-strings.ts says what counts). Files not converted yet are listed below; converting one means removing it from the list, and
 * the test says so once a listed file is clean. `npx tsx scripts/english-strings.ts` lists what is left.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHECKED_FOLDERS, englishStringsIn, sourceFiles } from '../scripts/english-strings';

/** Read by developers only; English like the field names and codes. */
const DEVELOPER_FACING: Record<string, string> = {
  'api/openapi.ts': 'the OpenAPI document: summaries, descriptions and examples for client developers',
  'api/action-docs.ts': 'the actions’ OpenAPI summaries, callers and examples for client developers',
  'api/app.ts': 'an Express setting name',
  'api/service.ts': 'the /docs page and the readiness probe’s status word',
};

/**
 * The message catalogue itself, where the texts belong: the English catalogue, Chinese entries that name placeholders
 * and headers (`{{lastDay, dueEnd}}`, `Authorization: Bearer`), and each language's date formats.
 */
const CATALOGUE = 'domain/i18n/';

/** Still to be converted to the catalogue (issue 15). Remove a file from here once it is clean. */
const NOT_YET_CONVERTED = ['domain/calendar.ts'];

const REPO = path.resolve(__dirname, '..');
const files = CHECKED_FOLDERS.flatMap((folder) => sourceFiles(folder)).map((file) => path.relative(REPO, file));

describe('English sentences outside the catalogue', () => {
  it('are in no checked file but those listed', () => {
    const exempt = new Set([...Object.keys(DEVELOPER_FACING), ...NOT_YET_CONVERTED]);
    const found = files
      .filter((file) => !exempt.has(file) && !file.startsWith(CATALOGUE))
      .flatMap((file) => englishStringsIn(path.join(REPO, file)))
      .map((s) => `${s.file}:${s.line}: ${JSON.stringify(s.text)} — put it in the catalogue (domain/i18n)`);
    expect(found).toEqual([]);
  });

  it('are still in every file listed as not yet converted (a clean file leaves the list)', () => {
    const clean = NOT_YET_CONVERTED.filter((file) => englishStringsIn(path.join(REPO, file)).length === 0);
    expect(clean).toEqual([]);
    expect(NOT_YET_CONVERTED.filter((file) => !files.includes(file))).toEqual([]);
  });

  it('are found where a reader meets them, and not in what only developers read (the check itself works)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'english-'));
    const file = path.join(dir, 'sample.ts');
    writeFileSync(
      file,
      [
        "import type { Unit } from './some module';",
        "log.info({ caseId }, 'case record written to the store');",
        "req.log?.error({ err }, 'unhandled error in the handler');",
        "throw new Error('invariant broken: no lead unit');",
        "const schema = z.string().openapi({ description: 'The unit code of the lead unit' });",
        "new HttpProblem(404, 'Not Found', '未找到');",
        "const code = 'review-request';",
        "throw ApplicationFailure.create({ message: 'the objection window has closed' });",
        'const summary = `route ${category} in ${region}`;',
        "const type = 'text/xml; charset=utf-8';",
        'const head = `<?xml version="1.0" encoding="utf-8"?>${body}`;',
        "const reply = 'text/xml is not what the petitioner reads';",
        'const disposition = `inline; filename="${noticeId}.pdf"`;',
        "const open = `ExecutionStatus = 'Running' AND TaskQueue = '${taskQueue}'`;",
        "const told = `ExecutionStatus = 'Running' AND the office was told`;",
        "const entry = problemResponse('No or unknown API key');",
        "const said = problems.notFound('no case with this tracking code');",
        "const HOLIDAYS = { 'Spring Festival': 'holiday.springFestival', spring: 'the Spring Festival holiday' };",
        'function registerSamplePaths(registry: OpenAPIRegistry) {',
        '  const errors = (what: string) => ({ description: `${what}; the same list in XML` });',
        '}',
        'function describeSample(registry: Registry) {',
        "  return 'the same list in XML';",
        '}',
        'function errorsResponse(what: string) {',
        '  return { description: `${what}; the same list in XML` };',
        '}',
        "const route = open311Route({ summary: 'Services: one per case category', root: 'services' });",
        "const told = errorsResponse('No such service or format');",
      ].join('\n'),
    );
    try {
      expect(englishStringsIn(file).map((s) => [s.line, s.text])).toEqual([
        [8, 'the objection window has closed'],
        [9, 'route … in …'],
        // A media type and an XML declaration are protocol; a sentence that begins with one is still prose.
        [12, 'text/xml is not what the petitioner reads'],
        // A visibility query is protocol too, but only clause by clause; a sentence after one is prose.
        [15, "ExecutionStatus = 'Running' AND the office was told"],
        [17, 'no case with this tracking code'],
        // A key is a name to look up by; the value beside it is read.
        [18, 'the Spring Festival holiday'],
        // Inside a function handed the OpenAPIRegistry, a helper's text is documentation; with any other parameter not.
        [23, 'the same list in XML'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
