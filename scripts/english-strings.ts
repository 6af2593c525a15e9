/**
 * Finds English sentences in source code: string literals of two or more English words that a petitioner, a clerk
 * or an API client could read, which belong in the message catalogue (domain/i18n) instead. test/english-strings.test.ts
 * keeps workflows/, activities/, api/ and domain/ free of them, file by file.
 *
 *   npx tsx scripts/english-strings.ts [folder…]      lists them as file:line: text (default: workflows activities api domain)
 *
 * Not counted, because no one but a developer reads them: module names, types, log lines (`log.*`, `logger.*`,
 * `console.*`), `Error` messages (internal invariants; the API answers 500 without them), Prometheus help texts,
 * HttpProblem's English reason phrase (the answer's title comes from the catalogue), and the API's own documentation
 * for client developers (`.openapi(…)`, `.describe(…)`, `registerPath(…)`, `registerComponent(…)`, the `summary`,
 * `description` and `example` texts given to `defineRoute(…)` or `open311Route(…)`, the arguments and the body of
 * the helpers that write a documented response (`problemResponse`, Open311's `errorsResponse` and `inBothFormats`),
 * and anything inside a function that is handed the `OpenAPIRegistry`, such as its helpers for repeated responses), protocol text (an XML declaration, a media type such as
 * `text/xml; charset=utf-8`, a Content-Disposition value), Temporal visibility queries
 * (`ExecutionStatus = 'Running' AND …`), and object keys (`{ 'Spring Festival': 'holiday.springFestival' }`: a name
 * to look up by, such as a library's data, not a text).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface EnglishString {
  file: string;
  line: number;
  text: string;
}

const REPO = path.resolve(__dirname, '..');
export const CHECKED_FOLDERS = ['workflows', 'activities', 'api', 'domain'] as const;

/** Two English words in a row: `case not found`, `the server failed` (not `review-request` or `zh-CN`). */
const ENGLISH_WORDS = /[A-Za-z]{2,}[,;:'’]?\s+[A-Za-z]{2,}/;
/**
 * Markup, media types and header values are protocol, not prose: an XML declaration, `text/xml; charset=utf-8`,
 * `inline; filename="….pdf"`.
 */
const PROTOCOL = /^(<\?xml\s|[a-z]+\/[a-z0-9.+-]+(;\s*[a-z-]+=[\w-]+)*$|(inline|attachment); filename="[^"]*"$)/;
/** A Temporal visibility query, clauses `Attribute = 'value'` joined by AND: `ExecutionStatus = 'Running' AND …`. */
const VISIBILITY_QUERY = /^[A-Z]\w* = '[^']*'( AND [A-Z]\w* = '[^']*')*$/;
const LOG_METHODS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'log']);
const LOGGERS = /(^|\.)(log|logger|console)$/;
// `problemResponse` (api/schemas.ts), `errorsResponse` and `inBothFormats` (api/open311/) write an OpenAPI response
// entry from its description.
const DOC_CALLS = new Set([
  'openapi',
  'describe',
  'registerPath',
  'registerComponent',
  'registerWebhook',
  'problemResponse',
  'errorsResponse',
  'inBothFormats',
]);
/** The helpers that write a documented response: their own texts are documentation too. */
const RESPONSE_HELPERS = new Set(['problemResponse', 'errorsResponse', 'inBothFormats']);
const ERRORS = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError']);
const DEVELOPER_PROPERTIES = new Set(['help']);
/** A route's OpenAPI texts, given to `defineRoute` (api/route.ts): its summary, descriptions and examples. */
const ROUTE_DOCUMENTATION = new Set(['summary', 'description', 'example']);
/** `defineRoute`, and `open311Route` (api/open311/route.ts), which hands its definition on to it. */
const ROUTE_DEFINERS = new Set(['defineRoute', 'open311Route']);

function inRouteDefinition(node: ts.Node): boolean {
  for (let at: ts.Node | undefined = node; at; at = at.parent) {
    if (ts.isCallExpression(at) && ROUTE_DEFINERS.has(calleeName(at))) return true;
  }
  return false;
}

function calleeName(call: ts.CallExpression | ts.NewExpression): string {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return '';
}

/** A function given the OpenAPI registry: everything it writes is the API's documentation for client developers. */
function documentsTheApi(node: ts.Node): boolean {
  return ts.isFunctionLike(node) && node.parameters.some((p) => p.type?.getText() === 'OpenAPIRegistry');
}

/** Whether a literal sits where only developers read it. */
function developerOnly(node: ts.Node): boolean {
  for (let at: ts.Node = node; at.parent; at = at.parent) {
    const parent = at.parent;
    if (ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent) || ts.isLiteralTypeNode(parent)) return true;
    if (ts.isPropertyAssignment(parent) && parent.name === at) return true;
    if (documentsTheApi(parent)) return true;
    if (ts.isFunctionDeclaration(parent) && parent.name && RESPONSE_HELPERS.has(parent.name.text)) return true;
    if (ts.isPropertyAssignment(parent) && parent.initializer === at) {
      const name = parent.name.getText();
      if (DEVELOPER_PROPERTIES.has(name)) return true;
      if (ROUTE_DOCUMENTATION.has(name) && inRouteDefinition(parent)) return true;
    }
    if (ts.isNewExpression(parent) && ERRORS.has(calleeName(parent))) return true;
    // HttpProblem's English reason phrase: the answer's title comes from the catalogue by status (api/problem.ts).
    if (ts.isNewExpression(parent) && calleeName(parent) === 'HttpProblem' && parent.arguments?.[1] === at) return true;
    if (ts.isCallExpression(parent) && parent.expression !== at) {
      const name = calleeName(parent);
      if (name === 'require' || ERRORS.has(name) || DOC_CALLS.has(name)) return true;
      const callee = parent.expression;
      if (ts.isPropertyAccessExpression(callee) && LOG_METHODS.has(name)) {
        const target = callee.expression.getText().replace(/\?$/, '').replace(/\?\./g, '.');
        if (LOGGERS.test(target)) return true;
      }
    }
  }
  return false;
}

/** A literal's text, with each `${…}` of a template as `…`; and as checked, with each `${…}` read as a word. */
function literalText(node: ts.Node): { shown: string; checked: string } | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
    return { shown: node.text, checked: node.text };
  if (!ts.isTemplateExpression(node)) return undefined;
  const parts = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)];
  return { shown: parts.join('…'), checked: parts.join('value') };
}

export function englishStringsIn(file: string): EnglishString[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const found: EnglishString[] = [];
  const visit = (node: ts.Node): void => {
    const text = literalText(node);
    if (text !== undefined) {
      const prose =
        ENGLISH_WORDS.test(text.checked) &&
        /[A-Za-z]{2,}/.test(text.shown) &&
        !PROTOCOL.test(text.shown) &&
        !VISIBILITY_QUERY.test(text.shown);
      if (prose && !developerOnly(node)) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        found.push({ file: path.relative(REPO, file), line: line + 1, text: text.shown });
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

export function sourceFiles(folder: string): string[] {
  const root = path.resolve(REPO, folder);
  return readdirSync(root)
    .flatMap((name) => {
      const full = path.join(root, name);
      return statSync(full).isDirectory() ? sourceFiles(path.relative(REPO, full)) : [full];
    })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .sort();
}

if (require.main === module) {
  const folders = process.argv.slice(2);
  for (const folder of folders.length ? folders : CHECKED_FOLDERS) {
    for (const file of sourceFiles(folder)) {
      for (const s of englishStringsIn(file)) console.log(`${s.file}:${s.line}: ${JSON.stringify(s.text)}`);
    }
  }
}
