/**
 * Duplicate keys in a JSON text. `JSON.parse` keeps the last of two equal keys silently, so a body that says
 * `"channel":"letter"` and then `"channel":"online"` would be read one way here and another way by a proxy or an
 * audit log that keeps the first. Keys are compared as parsed (`"n\u0061me"` is `"name"`).
 */

type Frame =
  | { kind: 'object'; keys: Set<string>; path: string; expectKey: boolean }
  | { kind: 'array'; path: string; index: number };

/** The path (`petitioner.name`) of the first key that appears twice in one object, or undefined. */
export function firstDuplicateKey(text: string): { key: string; path: string } | undefined {
  const stack: Frame[] = [];
  let pendingKey: string | undefined;
  const childPath = (): string => {
    const top = stack.at(-1);
    if (!top) return '';
    const step = top.kind === 'object' ? (pendingKey ?? '') : String(top.index);
    return top.path ? `${top.path}.${step}` : step;
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    const top = stack.at(-1);
    if (char === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (top?.kind === 'object' && top.expectKey) {
        let key: string;
        try {
          key = JSON.parse(text.slice(i, end + 1)) as string;
        } catch {
          return undefined; // not JSON: the parser says so
        }
        if (top.keys.has(key)) return { key, path: top.path ? `${top.path}.${key}` : key };
        top.keys.add(key);
        top.expectKey = false;
        pendingKey = key;
      }
      i = end;
    } else if (char === '{') {
      stack.push({ kind: 'object', keys: new Set(), path: childPath(), expectKey: true });
    } else if (char === '[') {
      stack.push({ kind: 'array', path: childPath(), index: 0 });
    } else if (char === '}' || char === ']') {
      stack.pop();
    } else if (char === ',' && top) {
      if (top.kind === 'object') top.expectKey = true;
      else top.index += 1;
    }
  }
  return undefined;
}
