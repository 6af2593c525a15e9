import { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { AppDeps } from './app';

export function adminRouter(_deps: AppDeps & { keys: import('./auth').KeyRing }): Router {
  return Router();
}

export function registerAdminPaths(_registry: OpenAPIRegistry): void {}
