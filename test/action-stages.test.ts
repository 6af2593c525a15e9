/**
 * README "Actions by stage" shows the table the rule checks read (domain/action-stages.ts): this test keeps the two
 * equal, so the documentation cannot drift from the rules.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ACTION_STAGES } from '../domain/action-stages';

const README = readFileSync(path.resolve(__dirname, '..', 'README.md'), 'utf8');
const SENDERS = ['office', 'department', 'coHandler', 'petitioner'] as const;

function tableInReadme(): string[] {
  const start = README.indexOf('<!-- action-stages -->');
  const end = README.indexOf('<!-- /action-stages -->');
  expect(start).toBeGreaterThan(-1);
  expect(end).toBeGreaterThan(start);
  return README.slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('| `'));
}

const cell = (stages: readonly string[] | undefined) => (stages ? stages.map((s) => `\`${s}\``).join(', ') : '—');

describe('actions by stage', () => {
  it('are shown in README exactly as the rule checks read them', () => {
    const rows = Object.entries(ACTION_STAGES).map(([action, by]) => {
      const stages = by as Partial<Record<(typeof SENDERS)[number], readonly string[]>>;
      return `| \`${action}\` | ${SENDERS.map((sender) => cell(stages[sender])).join(' | ')} |`;
    });
    expect(tableInReadme()).toEqual(rows);
  });
});
