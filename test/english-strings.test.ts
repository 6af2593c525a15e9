/**
 * Everything a petitioner, a clerk or an API client reads comes from the message catalogue (domain/i18n), in Chinese
 * by default: no English sentence in a string literal of workflows/, activities/ or api/ (scripts/english-strings.ts
 * says what counts). Files not converted yet are listed below; converting one means removing it from the list, and
 * the test says so once a listed file is clean. `npx tsx scripts/english-strings.ts` lists what is left.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHECKED_FOLDERS, englishStringsIn, sourceFiles } from '../scripts/english-strings';

/** Read by developers only; English like the field names and codes. */
const DEVELOPER_FACING: Record<string, string> = {
  'api/openapi.ts': 'the OpenAPI document: summaries, descriptions and examples for client developers',
  'api/app.ts': 'the /docs page, an Express setting name and the readiness probe’s status word',
};

/** Still to be converted to the catalogue (issue 15). Remove a file from here once it is clean. */
const NOT_YET_CONVERTED = [
  'api/admin.ts',
  'api/auth.ts',
  'api/cases.ts',
  'api/intake.ts',
  'api/limits.ts',
  'api/office.ts',
  'api/schemas.ts',
  'api/similarity.ts',
  'api/stats.ts',
  'api/track.ts',
];

const REPO = path.resolve(__dirname, '..');
const files = CHECKED_FOLDERS.flatMap((folder) => sourceFiles(folder)).map((file) => path.relative(REPO, file));

describe('English sentences outside the catalogue', () => {
  it('are in no checked file but those listed', () => {
    const exempt = new Set([...Object.keys(DEVELOPER_FACING), ...NOT_YET_CONVERTED]);
    const found = files
      .filter((file) => !exempt.has(file))
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
        'function registerSamplePaths(registry: OpenAPIRegistry) {',
        '  const errors = (what: string) => ({ description: `${what}; the same list in XML` });',
        '}',
        'function describeSample(registry: Registry) {',
        "  return 'the same list in XML';",
        '}',
      ].join('\n'),
    );
    try {
      expect(englishStringsIn(file).map((s) => [s.line, s.text])).toEqual([
        [8, 'the objection window has closed'],
        [9, 'route … in …'],
        // A media type and an XML declaration are protocol; a sentence that begins with one is still prose.
        [12, 'text/xml is not what the petitioner reads'],
        // Inside a function handed the OpenAPIRegistry, a helper's text is documentation; with any other parameter not.
        [17, 'the same list in XML'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
