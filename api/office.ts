import { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { AppDeps } from './app';

export function officeRouter(_deps: AppDeps & { keys: import('./auth').KeyRing }): Router {
  return Router();
}

export function registerOfficePaths(_registry: OpenAPIRegistry): void {}
