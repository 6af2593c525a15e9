/**
 * Where a webhook may go (issue 12 item 7). A unit's system is on the public network: loopback (the API's own admin
 * endpoint included), private, link-local (cloud metadata at 169.254.169.254) and other non-public addresses are
 * refused unless the admin allowlist (`XINFANG_WEBHOOK_ALLOW`) names the target. The check runs on the addresses a
 * name resolves to, at delivery (the delivery connects to the address it checked) and, as a courtesy, when a unit
 * is saved. URLs are parsed by the WHATWG parser, which already turns `2130706433`, `0x7f000001` and `127.1` into
 * `127.0.0.1`.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { DEFAULT_LANG, message, renderMessage, type Message } from '../domain/i18n';

const RANGES = {
  loopback: [
    ['127.0.0.0', 8, 'ipv4'],
    ['0.0.0.0', 8, 'ipv4'], // "this host": Linux connects 0.0.0.0 to itself
    ['::1', 128, 'ipv6'],
    ['::', 128, 'ipv6'],
  ],
  'link-local': [
    ['169.254.0.0', 16, 'ipv4'],
    ['fe80::', 10, 'ipv6'],
  ],
  private: [
    ['10.0.0.0', 8, 'ipv4'],
    ['172.16.0.0', 12, 'ipv4'],
    ['192.168.0.0', 16, 'ipv4'],
    ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT
    ['fc00::', 7, 'ipv6'],
    ['fec0::', 10, 'ipv6'],
  ],
  'non-public': [
    ['192.0.0.0', 24, 'ipv4'],
    ['192.0.2.0', 24, 'ipv4'],
    ['198.18.0.0', 15, 'ipv4'],
    ['198.51.100.0', 24, 'ipv4'],
    ['203.0.113.0', 24, 'ipv4'],
    ['224.0.0.0', 4, 'ipv4'], // multicast, reserved and broadcast
    ['64:ff9b::', 96, 'ipv6'], // NAT64: may reach any IPv4 address, inside ones too
    ['100::', 64, 'ipv6'],
    ['2001:db8::', 32, 'ipv6'],
    ['2002::', 16, 'ipv6'], // 6to4: embeds an IPv4 address
    ['ff00::', 8, 'ipv6'],
  ],
} satisfies Record<string, [string, number, 'ipv4' | 'ipv6'][]>;

/** What an address that is not public is: `loopback`, `link-local`, `private` or `non-public`. */
export type AddressKind = keyof typeof RANGES;

// BlockList matches IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) against the IPv4 ranges.
const BLOCKS = (Object.keys(RANGES) as AddressKind[]).map((kind) => {
  const list = new BlockList();
  for (const [network, prefix, family] of RANGES[kind]) list.addSubnet(network, prefix, family);
  return { kind, list };
});

/** What kind of address this is when it is not a public one: `loopback`, `private`, …; undefined when public. */
export function nonPublicKind(address: string): AddressKind | undefined {
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  return BLOCKS.find(({ list }) => list.check(address, family))?.kind;
}

/**
 * A webhook target the policy refuses: never retried, recorded in the delivery log. Its message is in Chinese for
 * the log and the operator; `detail` renders it in an API client's language.
 */
export class WebhookTargetRefused extends Error {
  constructor(readonly detail: Message) {
    super(renderMessage(detail, DEFAULT_LANG));
  }
}

/**
 * The admin's allowlist: `host`, `host:port` (an IP address or a name, as written in webhook URLs) or a CIDR range
 * (`10.20.0.0/16`). An entry that cannot be read is an error at start, not a silent miss.
 */
export class WebhookAllowlist {
  private readonly hosts: { hostname: string; port: string }[] = [];
  private readonly ranges = new BlockList();

  constructor(entries: readonly string[] = []) {
    for (const raw of entries.map((e) => e.trim()).filter(Boolean)) {
      const cidr = /^([^/]+)\/(\d{1,3})$/.exec(raw);
      if (cidr && isIP(cidr[1]!)) {
        this.ranges.addSubnet(cidr[1]!, Number(cidr[2]), isIP(cidr[1]!) === 6 ? 'ipv6' : 'ipv4');
        continue;
      }
      let url: URL;
      try {
        url = new URL(`http://${raw}`);
      } catch {
        throw new RangeError(`webhook allowlist entry "${raw}" is not a host, host:port or CIDR range`);
      }
      if (url.pathname !== '/' || url.username || url.search) {
        throw new RangeError(`webhook allowlist entry "${raw}" is not a host, host:port or CIDR range`);
      }
      // The URL parser drops a default port (`:80`); the entry still means that port only.
      this.hosts.push({ hostname: url.hostname, port: url.port || (/:(\d+)$/.exec(raw)?.[1] ?? '') });
    }
  }

  /** Whether the allowlist names this target: the URL's host (or the address it resolved to), and its port. */
  names(url: URL, address: string): boolean {
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    const bare = (host: string) => host.replace(/^\[|\]$/g, '');
    const hostMatch = this.hosts.some(
      (h) => (h.hostname === url.hostname || bare(h.hostname) === address) && (h.port === '' || h.port === port),
    );
    return hostMatch || this.ranges.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
  }
}

/** Throws `WebhookTargetRefused` when `address` may not be reached for `url`. */
export function checkAddress(url: URL, address: string, allowlist: WebhookAllowlist): void {
  const kind = nonPublicKind(address);
  if (kind && !allowlist.names(url, address)) {
    throw new WebhookTargetRefused(message(`webhookTarget.refused.${kind}`, { host: url.host, address }));
  }
}

/** Problems with the URL itself: only http(s), and never credentials (they would be stored and shown). */
export function urlProblem(url: URL): Message | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return message('webhookTarget.notHttp');
  if (url.username || url.password) return message('webhookTarget.credentials');
  return undefined;
}

/** The host of a URL as an IP address, or undefined for a name. */
export function literalAddress(url: URL): string | undefined {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return isIP(host) ? host : undefined;
}

/**
 * A `lookup` for `http.request`: resolves the name, refuses it if any of its addresses may not be reached, and hands
 * the socket the addresses it checked, so a name that changes between check and connection cannot slip through.
 */
export function checkingLookup(url: URL, allowlist: WebhookAllowlist): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      try {
        for (const { address } of addresses) checkAddress(url, address, allowlist);
      } catch (refused) {
        return callback(refused as NodeJS.ErrnoException, '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** The same check when a unit is saved: a refusal names the address; a name that does not resolve yet is let be. */
export async function checkTarget(url: URL, allowlist: WebhookAllowlist, timeoutMs = 2_000): Promise<void> {
  const literal = literalAddress(url);
  if (literal) return checkAddress(url, literal, allowlist);
  const addresses = await new Promise<LookupAddress[]>((resolve) => {
    const timer = setTimeout(() => resolve([]), timeoutMs);
    dnsLookup(url.hostname, { all: true }, (error, found) => {
      clearTimeout(timer);
      resolve(error ? [] : found);
    });
  });
  for (const { address } of addresses) checkAddress(url, address, allowlist);
}
