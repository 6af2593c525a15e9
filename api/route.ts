/**
 * A route defined once: its path, who may call it, the zod schemas of its request and answers, and its handler. The
 * same object becomes the Express route (`mount`) and the OpenAPI operation (`registerRoutes`), so the two cannot
 * disagree, and the handler's answer is typed by the schema of the 2xx response it claims.
 */
import type { IRouter, Request, RequestHandler, Response } from 'express';
import type { OpenAPIRegistry, ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { z } from 'zod';
import type { Lang } from '../domain/i18n';
import type { Role } from '../domain/types';
import { requireRole } from './auth';
import { requestLanguage } from './language';
import { parseRequest } from './schemas';

export type Method = 'get' | 'post' | 'put' | 'delete' | 'patch';

type Responses = Record<number, ResponseConfig>;

/** A value as `res.json` writes it: a Date may stand where the schema has a string (it is sent as its ISO form). */
type Sendable<T> = T extends string
  ? T | Date
  : T extends readonly (infer E)[]
    ? Sendable<E>[]
    : T extends object
      ? { [K in keyof T]: Sendable<T[K]> }
      : T;

/** What a response's JSON body is, by its schema; `never` for a response without one (a PDF, a page). */
type JsonBody<R> = R extends { content: { 'application/json': { schema: infer S extends z.ZodType } } }
  ? Sendable<z.infer<S>>
  : never;

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** An answer other than the route's 200, or with headers: made by the handler's `reply`. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

/** Returned by a handler that wrote its answer itself (a file, a page). */
export class Sent {
  private readonly sent = true;
}
export const SENT = new Sent();

export interface RouteContext<P, Q, B, Rs> {
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
  /** The caller's language (Accept-Language). */
  lang: Lang;
  req: Request;
  res: Response;
  /** Answers with a status the route documents, a body of that response's schema, and headers (Location). */
  reply: <K extends keyof Rs & number>(status: K, body: JsonBody<Rs[K]>, headers?: Record<string, string>) => Reply;
}

type Answer<Rs> = (200 extends keyof Rs ? JsonBody<Rs[200]> : never) | Reply | Sent;

export interface RouteDefinition<D, P, Q, B, Rs extends Responses> {
  method: Method;
  /** The path as OpenAPI writes it (`/v1/cases/{caseId}`); Express's `:caseId` is derived from it. */
  path: string;
  summary: string;
  description?: string;
  tags?: string[];
  security: RouteConfig['security'];
  /** Roles that may call the route; others get 403 before the request is read. */
  roles?: readonly Role[];
  /** Middleware run after the role check and before the request is parsed. */
  before?: readonly RequestHandler[];
  request?: {
    params?: P;
    query?: Q;
    /** Documented only: the handler reads the headers it uses from `req`. */
    headers?: z.ZodObject;
    body?: B;
  };
  /**
   * Runs once the path is parsed, before the query and body are: a refusal that must not depend on them (a
   * petitioner's PIN is checked before the body is read).
   */
  check?: (context: { params: Parsed<P>; req: Request }, deps: D) => void | Promise<void>;
  /** The body's schema when its rules depend on the path (a year's dates lie in it); `request.body` is documented. */
  bodyFor?: (params: Parsed<P>) => z.ZodType<Parsed<B>>;
  /**
   * The request as documented, when the handler reads it itself rather than through `request`: a body in more media
   * types than JSON, refusals in another form than problem+json (Open311). Documented in place of `request`.
   */
  documentedRequest?: RouteConfig['request'];
  responses: Rs;
  /**
   * `false` for a route the document leaves out: a fallback that answers only the refusal of a path that does not
   * exist (an unknown action), behind the documented routes of its family.
   */
  documented?: false;
  handler: (context: RouteContext<P, Q, B, Rs>, deps: D) => Answer<Rs> | Promise<Answer<Rs>>;
}

/** A defined route, as the route table lists it. */
export interface Route<D = never> {
  method: Method;
  path: string;
  responses: Responses;
  /** Whether the OpenAPI document describes the route (all but fallbacks). */
  documented: boolean;
  register: (registry: OpenAPIRegistry) => void;
  /** Registers the handler on a router mounted at `base` (a prefix of the path), or on the app. */
  mount: (router: IRouter, deps: D, base?: string) => void;
}

/** `/v1/cases/{caseId}` → `/v1/cases/:caseId`. */
export function expressPath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ':$1');
}

export function defineRoute<
  D,
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  Rs extends Responses = Responses,
>(definition: RouteDefinition<D, P, Q, B, Rs>): Route<D> {
  const { method, path, request = {}, roles, before = [], check, bodyFor, documentedRequest, handler } = definition;
  return {
    method,
    path,
    responses: definition.responses,
    documented: definition.documented ?? true,
    register(registry) {
      if (definition.documented === false) return;
      const { params, query, headers, body } = request;
      registry.registerPath({
        method,
        path,
        summary: definition.summary,
        ...(definition.description === undefined ? {} : { description: definition.description }),
        ...(definition.tags ? { tags: definition.tags } : {}),
        security: definition.security,
        request: documentedRequest ?? {
          ...(params ? { params: params as unknown as z.ZodObject } : {}),
          ...(query ? { query: query as unknown as z.ZodObject } : {}),
          ...(headers ? { headers } : {}),
          ...(body ? { body: { content: { 'application/json': { schema: body } } } } : {}),
        },
        responses: definition.responses,
      });
    },
    mount(router, deps, base = '') {
      if (!path.startsWith(base)) throw new Error(`${path} does not lie under ${base}`);
      const guards = roles ? [requireRole(...roles), ...before] : [...before];
      router[method](expressPath(path.slice(base.length)), ...guards, async (req: Request, res: Response) => {
        const lang = requestLanguage(req);
        const parse = <S>(schema: S | undefined, value: unknown, location: 'params' | 'query' | 'body') =>
          (schema ? parseRequest(schema as unknown as z.ZodType, value, location, lang) : undefined) as Parsed<S>;
        const params = parse(request.params, req.params, 'params');
        await check?.({ params, req }, deps);
        const context: RouteContext<P, Q, B, Rs> = {
          params,
          query: parse(request.query, req.query, 'query'),
          body: bodyFor ? parseRequest(bodyFor(params), req.body, 'body', lang) : parse(request.body, req.body, 'body'),
          lang,
          req,
          res,
          reply: (status, replyBody, headers) => new Reply(status, replyBody, headers),
        };
        const answer = await handler(context, deps);
        if (answer instanceof Sent) return;
        if (answer instanceof Reply) {
          for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
          res.status(answer.status).json(answer.body);
          return;
        }
        res.json(answer);
      });
    },
  };
}

/**
 * Registers each route's handler on the router (or app), in order. A router mounted at `base` (`app.use('/open311/v2',
 * router)`) serves each route at its path less that prefix; the route is still written, and documented, whole.
 */
export function mount<D>(router: IRouter, routes: readonly Route<D>[], deps: D, base = ''): void {
  for (const route of routes) route.mount(router, deps, base);
}

/** Registers each route as an OpenAPI operation. */
export function registerRoutes(registry: OpenAPIRegistry, routes: readonly Route<never>[]): void {
  for (const route of routes) route.register(registry);
}
