/** What of a request URL may be written down (logs, problem documents): never a key, token, PIN or tracking code. */

/** Query parameters that carry secrets: Open311's `api_key`, a PIN, and anything named like a key, token or secret. */
const SECRET_PARAMETER = /key|token|secret|pin|pass(word|wd)?|sig|auth|session|credential/i;

/** The URL with the values of secret-bearing query parameters and the tracking code replaced by `[redacted]`. */
export function redactedUrl(url: string): string {
  const [path = '', query] = url.split(/\?(.*)/s, 2);
  const safePath = path.replace(/\/track\/[^/?]+/, '/track/…');
  if (query === undefined) return safePath;
  const parameters = query.split('&').map((pair) => {
    const [name = '', value] = pair.split(/=(.*)/s, 2);
    let decoded = name;
    try {
      decoded = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      // a malformed name is judged as it is written
    }
    return value !== undefined && SECRET_PARAMETER.test(decoded) ? `${name}=[redacted]` : pair;
  });
  return `${safePath}?${parameters.join('&')}`;
}
