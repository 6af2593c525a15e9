/**
 * The route table: every route defined with `defineRoute`, in the order the app mounts them. The app serves these
 * and the OpenAPI document describes these, from the same objects; tests read it to know each route's answers.
 */
import type { AppDeps } from './app';
import type { KeyRing } from './auth';
import { repeatCandidatesRoute } from './cases/repeat-candidates';
import type { Route } from './route';
import { documentRoutes, probeRoutes, type ServiceDeps } from './service';
import { statsRoutes } from './stats/routes';

export type RouteDeps = AppDeps & ServiceDeps & { keys: KeyRing };

/** The office's reads behind `/v1`'s authentication. */
export const officeReadRoutes = [repeatCandidatesRoute, ...statsRoutes];

export const ROUTES: readonly Route<RouteDeps>[] = [...probeRoutes, ...documentRoutes, ...officeReadRoutes];
