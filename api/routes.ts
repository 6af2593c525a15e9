/**
 * The route table: every route defined with `defineRoute`, in the order the app mounts them. The app serves these
 * and the OpenAPI document describes these, from the same objects; tests read it to know each route's answers.
 */
import { adminRoutes } from './admin/routes';
import type { AppDeps } from './app';
import type { KeyRing } from './auth';
import { caseActionRoutes } from './cases/actions';
import { caseDetailRoute } from './cases/detail';
import { caseListRoute } from './cases/lists';
import { registerCaseRoute } from './cases/register';
import { repeatCandidatesRoute } from './cases/repeat-candidates';
import type { Route } from './route';
import { open311Routes } from './open311/router';
import { documentRoutes, probeRoutes, type ServiceDeps } from './service';
import { statsRoutes } from './stats/routes';
import type { TrackDeps } from './track/petitioners';
import { trackRoutes } from './track/routes';
import { inboxRoute } from './units/inbox';
import type { PendingNotes } from '../store/tracking-codes';

export type RouteDeps = AppDeps & ServiceDeps & TrackDeps & { keys: KeyRing; notes: PendingNotes };

/** Registering a case, reading one and acting on it, behind `/v1`'s authentication. */
export const caseRoutes = [registerCaseRoute, caseDetailRoute, ...caseActionRoutes];

/** Reads behind `/v1`'s authentication: case lists, inboxes, repeat candidates, statistics. */
export const officeReadRoutes = [caseListRoute, inboxRoute, repeatCandidatesRoute, ...statsRoutes];

export const ROUTES: readonly Route<RouteDeps>[] = [
  ...probeRoutes,
  ...documentRoutes,
  ...open311Routes,
  ...trackRoutes,
  ...caseRoutes,
  ...officeReadRoutes,
  ...adminRoutes,
];
