/**
 * A GeoReport v2 (Open311) facade, in XML (the spec's baseline) and JSON alike: every path ends in `.xml` or `.json`,
 * errors included, and `/open311/discovery.*` tells clients where it is. Intake front-ends register requests with
 * their API key; the public reads services and published requests. Errors take Open311's form, `[{ code,
 * description }]`, with the HTTP status (errors.ts).
 */
import express, { Router } from 'express';
import type { KeyRing } from '../auth';
import { mount, type Route } from '../route';
import { discoveryRoute } from './discovery';
import { noResource } from './errors';
import { postRequestRoute } from './post-request';
import { requestListRoute, requestRoute, type PublicDeps } from './requests';
import { DISCOVERY_BASE, OPEN311_BASE } from './route';
import { serviceDefinitionRoute, servicesRoute } from './services';

export { open311Errors } from './errors';

export type Open311Deps = PublicDeps & { keys: KeyRing };

/** The GeoReport v2 operations, under `/open311/v2`. */
const georeportRoutes: readonly Route<Open311Deps>[] = [
  servicesRoute,
  serviceDefinitionRoute,
  postRequestRoute,
  requestListRoute,
  requestRoute,
];

/** Every Open311 operation, for the route table. */
export const open311Routes: readonly Route<Open311Deps>[] = [discoveryRoute, ...georeportRoutes];

/** Discovery, mounted at `/open311`. */
export function open311DiscoveryRouter(): Router {
  const router = Router();
  mount(router, [discoveryRoute], undefined, DISCOVERY_BASE);
  return router;
}

/** GeoReport v2, mounted at `/open311/v2`: form fields or JSON, and Open311's 404 for any other path. */
export function open311Router(deps: Open311Deps): Router {
  const router = Router();
  router.use(express.urlencoded({ extended: false, limit: '64kb' }));
  mount(router, georeportRoutes, deps, OPEN311_BASE);
  router.use((req) => {
    throw noResource(req);
  });
  return router;
}
