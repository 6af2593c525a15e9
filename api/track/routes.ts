/** The petitioner's routes under /v1/track: no API key, the tracking code and PIN instead. */
import type { Client } from '@temporalio/client';
import type { Store } from '../../store/models';
import type { Sealer } from '../../store/sealed';
import type { Route } from '../route';
import { trackActionRoutes } from './actions';
import { trackingNoticeRoute } from './notices';
import type { TrackDeps } from './petitioners';
import { trackingViewRoute } from './view';

export const trackRoutes: readonly Route<TrackDeps & { client: Client; store: Store; sealer: Sealer }>[] = [
  trackingViewRoute,
  trackingNoticeRoute,
  ...trackActionRoutes,
];
