import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { message, translate } from '../domain/i18n';
import type { Role } from '../domain/types';
import { hashKey } from '../store/api-keys';
import { isDuplicateKey, type Store } from '../store/models';
import { requestLanguage } from './language';
import { problems } from './problem';

export interface Principal {
  keyId: string;
  role: Role;
  unitCode?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

const CACHE_MS = 60_000;
/** How often a replica looks at the key revision marker (one read by `_id`, off the request path). */
const REVISION_CHECK_MS = 1_000;
/**
 * A key revoked through one API replica is refused by every other one within this bound: the next revision check
 * (at most REVISION_CHECK_MS after the revocation, once a request arrives) plus the read itself. The replica that
 * revoked it refuses it at once.
 */
export const KEY_REVOCATION_BOUND_MS = 2_000;
const KEYS_REVISION = 'api-keys';

/**
 * Resolves `Authorization: Bearer <key>` to a principal. Keys are stored hashed in MongoDB; recently seen keys are
 * cached so a MongoDB outage does not stop intake. A revocation takes effect at once in the replica that made it,
 * and in the others within KEY_REVOCATION_BOUND_MS: revoking changes the `api-keys` revision marker, and a replica
 * that sees it changed forgets every cached key.
 */
export class KeyRing {
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();
  private readonly bootstrap?: { hash: Buffer; principal: Principal };
  private revision?: string | null;
  private revisionCheckedAt = 0;
  private revisionCheck?: Promise<void>;

  constructor(
    private readonly store: Store,
    adminKey?: string,
  ) {
    if (adminKey) {
      this.bootstrap = {
        hash: Buffer.from(hashKey(adminKey), 'hex'),
        principal: { keyId: 'bootstrap-admin', role: 'admin' },
      };
    }
  }

  async resolve(key: string): Promise<Principal | null> {
    this.checkRevision();
    const hash = hashKey(key);
    if (this.bootstrap && timingSafeEqual(Buffer.from(hash, 'hex'), this.bootstrap.hash))
      return this.bootstrap.principal;
    const cached = this.cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.principal;
    try {
      const doc = await this.store.apiKeys.findOne({ hash }).lean();
      const principal =
        doc && !doc.revokedAt ? { keyId: doc._id, role: doc.role as Role, unitCode: doc.unitCode ?? undefined } : null;
      this.cache.set(hash, { principal, until: Date.now() + CACHE_MS });
      return principal;
    } catch {
      // MongoDB unreachable: a key seen before keeps working; an unknown key cannot be checked.
      if (cached?.principal) return cached.principal;
      throw problems.unavailable(message('problem.detail.apiKeysUnavailable'));
    }
  }

  forget(hash?: string): void {
    if (hash) this.cache.delete(hash);
    else this.cache.clear();
  }

  /** Tells every replica that cached keys may be stale: called after a revocation. */
  async announceRevocation(): Promise<void> {
    const update = { $set: { token: randomBytes(8).toString('hex'), at: new Date() } };
    try {
      await this.store.revisions.updateOne({ _id: KEYS_REVISION }, update, { upsert: true });
    } catch (error) {
      // Two first revocations at once: one inserted the marker, the other changes it.
      if (!isDuplicateKey(error)) throw error;
      await this.store.revisions.updateOne({ _id: KEYS_REVISION }, update);
    }
  }

  /** In the background, at most once per REVISION_CHECK_MS: a changed marker empties the cache. */
  private checkRevision(): void {
    if (this.revisionCheck || Date.now() - this.revisionCheckedAt < REVISION_CHECK_MS) return;
    this.revisionCheckedAt = Date.now();
    this.revisionCheck = this.store.revisions
      .findById(KEYS_REVISION)
      .lean()
      .then((marker) => {
        const token = marker?.token ?? null;
        if (token !== this.revision) this.cache.clear();
        this.revision = token;
      })
      .catch(() => undefined) // MongoDB unreachable: cached keys keep working, as they do for intake
      .finally(() => (this.revisionCheck = undefined));
  }
}

export function authenticate(keys: KeyRing): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return next(problems.unauthorized());
    keys.resolve(match[1]!).then(
      (principal) => {
        if (!principal) return next(problems.unauthorized(message('problem.detail.apiKeyRevoked')));
        req.principal = principal;
        next();
      },
      (error: unknown) => next(error),
    );
  };
}

export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    const role = req.principal?.role;
    if (!role) return next(problems.unauthorized());
    if (!roles.includes(role)) {
      const or = translate(requestLanguage(req), 'problem.detail.rolesSeparator');
      return next(problems.forbidden(message('problem.detail.wrongRole', { roles: roles.join(or), role })));
    }
    next();
  };
}
