/**
 * Every Open311 path ends in its format, `.json` or `.xml` (GeoReport v2's `{format}`), errors included: the answer
 * is the same object either way, as JSON or as the spec's XML.
 */
import type { Response } from 'express';
import { z } from 'zod';
import { requestLanguage } from '../language';
import { ITEMS, toXml, XML_CONTENT_TYPE } from './xml';

export const FORMAT = z
  .enum(['json', 'xml'])
  .openapi({ description: "The answer's format: GeoReport v2's XML or JSON" });
export type Format = z.infer<typeof FORMAT>;

/** The format a path asks for: XML when it ends in `.xml`, JSON otherwise (errors follow the path too). */
export function formatOf(path: string): Format {
  return /\.xml$/i.test(path) ? 'xml' : 'json';
}

/** A `{format}` as the path gave it: json or xml in any case, undefined for anything else. */
export function formatIn(param: unknown): Format | undefined {
  const format = String(param).toLowerCase();
  return format === 'json' || format === 'xml' ? format : undefined;
}

/** Sends `body` as JSON, or as XML under the spec's root element; its texts are in the language the caller asked. */
export function send(res: Response, format: Format, root: string, body: unknown, status = 200): void {
  res.vary('Accept-Language');
  res.setHeader('Content-Language', requestLanguage(res.req));
  res.status(status);
  if (format === 'json') res.json(body);
  else res.set('Content-Type', XML_CONTENT_TYPE).send(toXml(root, body));
}

/** A documented answer in both formats: the JSON schema, and XML whose elements carry the same names under `root`. */
export function inBothFormats<T extends z.ZodType>(description: string, schema: T, root: string) {
  return {
    description: `${description}. XML: the same fields as elements under \`<${root}>\`, each list item named after its list (\`<${root}><${ITEMS[root] ?? root}>\`).`,
    content: { 'application/json': { schema }, 'text/xml': { schema: z.string() } },
  };
}
