/**
 * The demo directory: units of Hangzhou (plus Nanjing) and their routing rules, which the dev stack seeds and the
 * tests, benchmarks and fault suite run against. A deployment loads its own directory through the admin API.
 */
import type { Directory } from '../domain/directory';
import demo from './directory.json';

export const DEMO_DIRECTORY: Directory = demo as Directory;
