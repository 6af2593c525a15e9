/**
 * Administration (admin role only): API keys, the directory of units, the routing rules and the holiday calendar.
 * Each change takes effect for the next decision a case makes: routing reads the directory when it routes, and a
 * new calendar year makes every open case recompute its future deadlines.
 */
import type { Route } from '../route';
import { apiKeyRoutes } from './api-keys';
import { calendarRoutes } from './calendar';
import type { AdminDeps } from './common';
import { routingRuleRoutes } from './routing-rules';
import { unitRoutes } from './units';

export const adminRoutes: readonly Route<AdminDeps>[] = [
  ...apiKeyRoutes,
  ...unitRoutes,
  ...routingRuleRoutes,
  ...calendarRoutes,
];
