/**
 * GeoReport v2's baseline format: XML with the spec's element names. Each list's items are named after the list
 * (`<services><service>`, `<service_requests><request>`, `<errors><error>`); a null value is an empty element.
 * Pure: the router hands it the same objects it sends as JSON.
 */

/** The element of each item of a list, by the list's element. */
export const ITEMS: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
};

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Characters XML 1.0 cannot carry at all, escaped or not (control characters, lone surrogates, U+FFFE/FFFF). */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Text as element content or attribute value: markup escaped, characters XML cannot hold replaced by U+FFFD. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '\uFFFD').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function element(name: string, value: unknown, indent: string): string {
  if (!NAME.test(name)) throw new Error(`not an XML element name: ${name}`);
  if (value === null || value === undefined) return `${indent}<${name}/>`;
  if (Array.isArray(value)) {
    const item = ITEMS[name] ?? 'item';
    if (value.length === 0) return `${indent}<${name}/>`;
    const children = value.map((v) => element(item, v, `${indent}  `)).join('\n');
    return `${indent}<${name}>\n${children}\n${indent}</${name}>`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return `${indent}<${name}/>`;
    const children = entries.map(([key, v]) => element(key, v, `${indent}  `)).join('\n');
    return `${indent}<${name}>\n${children}\n${indent}</${name}>`;
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `${indent}<${name}>${escapeXml(text)}</${name}>`;
}

/** A whole document: the declaration, then `value` as the element `root`. */
export function toXml(root: string, value: unknown): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, value, '')}\n`;
}

export const XML_CONTENT_TYPE = 'text/xml; charset=utf-8';
