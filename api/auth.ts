import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Role } from '../domain/types';
import type { Store } from '../store/models';
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

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function newApiKey(): { id: string; key: string } {
  return { id: randomBytes(8).toString('hex'), key: `xf_${randomBytes(24).toString('base64url')}` };
}

const CACHE_MS = 60_000;

/**
 * Resolves `Authorization: Bearer <key>` to a principal. Keys are stored hashed in MongoDB; recently seen keys are
 * cached so a MongoDB outage does not stop intake, and a revocation through this process takes effect at once.
 */
export class KeyRing {
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();
  private readonly bootstrap?: { hash: Buffer; principal: Principal };

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
      throw problems.unavailable('API keys cannot be checked right now; retry shortly');
    }
  }

  forget(hash?: string): void {
    if (hash) this.cache.delete(hash);
    else this.cache.clear();
  }
}

export function authenticate(keys: KeyRing): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return next(problems.unauthorized());
    keys.resolve(match[1]!).then(
      (principal) => {
        if (!principal) return next(problems.unauthorized('the API key is unknown or revoked'));
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
    if (!roles.includes(role))
      return next(problems.forbidden(`this endpoint is for ${roles.join(' or ')}, not ${role}`));
    next();
  };
}
