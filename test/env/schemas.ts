import type { Response } from 'supertest';
import type { z } from 'zod';
import { ROUTES } from '../../api/routes';
import type { Route } from '../../api/route';

/** The route of the table that answers `method path` (path without its query), or undefined. */
export function routeFor(method: string, path: string): Route<never> | undefined {
  const pathname = path.split('?')[0]!;
  // The path's own characters literally (Open311's `services.{format}` is not `services/…`), each parameter a segment.
  const pattern = (routePath: string) => routePath.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
  return ROUTES.find(
    (route) =>
      route.method === method.toLowerCase() &&
      new RegExp(`^${pattern(route.path)}$`).test(decodeURIComponent(pathname)),
  );
}

/**
 * Checks a 2xx answer's JSON body against the schema the route table documents for its status, so the document tells
 * the truth about what the API sends. Returns the body for further assertions.
 */
export function expectSchema<T = Record<string, unknown>>(res: Response): T {
  const request = (res as unknown as { req: { method: string; path: string } }).req;
  const where = `${request.method} ${request.path} → ${res.status}`;
  const route = routeFor(request.method, request.path);
  expect({ where, route: route?.path ?? 'none in the route table' }).toEqual({ where, route: expect.any(String) });
  expect({ where, success: res.status >= 200 && res.status < 300 }).toEqual({ where, success: true });
  const content = route!.responses[res.status]?.content?.['application/json'];
  const schema = content?.schema as z.ZodType | undefined;
  expect({ where, documented: typeof schema?.safeParse }).toEqual({ where, documented: 'function' });
  const parsed = schema!.safeParse(res.body);
  expect({ where, issues: parsed.error?.issues ?? [] }).toEqual({ where, issues: [] });
  return res.body as T;
}
