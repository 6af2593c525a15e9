/**
 * 4. Scale: intake and actions measured again over growing numbers of open cases holding far timers, with the
 * worker's memory and cache and FerretDB's size at each level.
 */
import { execFileSync } from 'node:child_process';
import type { Summary } from '../../stats';
import { log, round } from '../helpers';
import type { Profile } from '../profiles';
import { endOpenWorkflows, seedOpenCases, type Bench } from '../requests';
import { actionRoundTrips, type ActionResultRow } from './actions';
import { intakeAtRates, intakeSaturation, type IntakeRow } from './intake';

export interface ScaleRow {
  openCases: number;
  intake: IntakeRow;
  /** Full profile only. */
  saturation?: { api: Summary; raw: Summary };
  action: ActionResultRow;
  rssMb: number;
  heapMb: number;
  cachedWorkflows: number;
  ferretDbMb: number;
  /** Case documents in MongoDB (open and closed). */
  storedCases: number;
  /** Cases started and registered per second while seeding this level. */
  seedPerSecond: number;
}

function duMb(dir: string): number {
  try {
    return round(Number(execFileSync('du', ['-sk', dir]).toString().split(/\s/)[0]) / 1024);
  } catch {
    return NaN;
  }
}

/** Measures each level in turn; `onRow` keeps a level's figures even if a later level runs out of budget. */
export async function scale(s: Bench, p: Profile, onRow: (row: ScaleRow) => void): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = [];
  await endOpenWorkflows(s);
  for (const level of p.scaleLevels) {
    const seeded = await seedOpenCases(s, level);
    const openCases = s.openCaseIds.size;
    const [intake] = await intakeAtRates(s, p, [p.scaleRate], p.blockSeconds, 1);
    const saturation = await intakeSaturation(s, p, 1);
    const { row: action } = await actionRoundTrips(s, { ...p, actionCases: 8, actionRequests: 20 }, 'warm', 1);
    const mem = process.memoryUsage();
    const row: ScaleRow = {
      openCases,
      intake: intake!,
      saturation,
      action,
      rssMb: round(mem.rss / 2 ** 20),
      heapMb: round(mem.heapUsed / 2 ** 20),
      cachedWorkflows: s.workers.cases.getStatus().numCachedWorkflows,
      ferretDbMb: duMb(s.ferretDir),
      storedCases: await s.store.cases.estimatedDocumentCount(),
      seedPerSecond: seeded.perSecond,
    };
    log(`scale ${openCases} open: RSS ${row.rssMb} MB, cached ${row.cachedWorkflows}, FerretDB ${row.ferretDbMb} MB`);
    rows.push(row);
    onRow(row);
  }
  return rows;
}
