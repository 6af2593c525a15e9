import { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { AppDeps } from './app';

export function open311Router(_deps: AppDeps & { keys: import('./auth').KeyRing }): Router {
  return Router();
}

export function registerOpen311Paths(_registry: OpenAPIRegistry): void {}
