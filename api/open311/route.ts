/**
 * An Open311 route on `defineRoute`: its path written once with the spec's `{format}` suffix, answered as JSON or
 * XML by that suffix, and documented in both. Open311 reads its own requests (form fields, its own error form), so
 * the request is documented here and read by the handler.
 */
import type { Request } from 'express';
import type { ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { Lang } from '../../domain/i18n';
import { defineRoute, SENT, type Method, type Route } from '../route';
import { noResource } from './errors';
import { FORMAT, formatIn, send, type Format } from './format';

/** Where the GeoReport v2 endpoint is mounted, and discovery above it. */
export const OPEN311_BASE = '/open311/v2';
export const DISCOVERY_BASE = '/open311';

export interface Open311Context {
  req: Request;
  lang: Lang;
  format: Format;
}

/** The answer and its status (200 unless given), sent in the path's format. */
export interface Open311Answer<T> {
  status?: 200 | 201;
  body: T;
}

type DocumentedRequest = NonNullable<RouteConfig['request']>;

/**
 * An Open311 operation: `defineRoute` with the `{format}` parameter documented beside the path's own, both formats
 * answered (any other suffix is Open311's 404 before the request is read), and the tag of the GeoReport operations.
 */
export function open311Route<D, S extends z.ZodType>(definition: {
  method: Method;
  /** With the `{format}` suffix: `/open311/v2/requests.{format}`. */
  path: string;
  summary: string;
  /** The path's parameters other than `format`. */
  params?: z.ZodRawShape;
  request?: Omit<DocumentedRequest, 'params'>;
  /** The element the answer is written under in XML (`services`, `service_requests`). */
  root: string;
  /** The schema of the answer: the handler's answer is typed by it. */
  answer: S;
  responses: Record<number, ResponseConfig>;
  handler: (context: Open311Context, deps: D) => Open311Answer<z.input<S>> | Promise<Open311Answer<z.input<S>>>;
}): Route<D> {
  const { params, request, root, handler } = definition;
  return defineRoute({
    method: definition.method,
    path: definition.path,
    summary: definition.summary,
    tags: ['Open311 GeoReport v2'],
    // GeoReport's own convention: an api_key field (or a Bearer key) where a key is needed.
    security: undefined,
    documentedRequest: { params: z.object({ ...params, format: FORMAT }), ...request },
    responses: definition.responses,
    handler: async ({ req, res, lang }, deps: D) => {
      const format = formatIn(req.params.format);
      // Anything but json and xml is no Open311 resource, before the request is read.
      if (!format) throw noResource(req);
      const { status = 200, body } = await handler({ req, lang, format }, deps);
      send(res, format, root, body, status);
      return SENT;
    },
  });
}
