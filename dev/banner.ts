/** What `npm run dev` and `npm run cluster` print once everything is up: addresses, keys and a first request. */
import type { Env } from '../config/env';

export type DemoKey = { role: string; unitCode?: string; key: string };

export interface BannerInfo {
  env: Pick<Env, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TASK_QUEUE' | 'MONGO_URL'>;
  /** One per API process; the first is used in the example. */
  apiUrls: string[];
  temporalUiUrl?: string;
  /** Extra rows after the Temporal address (the cluster's processes, its TLS files). */
  extraRows?: [string, string][];
  adminKey: string;
  demoKeys: DemoKey[];
  footer: string;
}

export function printBanner(info: BannerInfo): void {
  const { env, apiUrls } = info;
  const apiUrl = apiUrls[0] ?? '';
  const row = (label: string, value: string) => `  ${label.padEnd(13)}${value}`;
  const lines = [
    '',
    'Xinfang is running',
    ...apiUrls.map((url, i) => row(apiUrls.length > 1 ? `API ${i + 1}` : 'API', url)),
    row('API docs', `${apiUrl}/docs`),
    row('OpenAPI', `${apiUrl}/openapi.json`),
    row('Temporal UI', info.temporalUiUrl ?? '(external server: see its own UI)'),
    row(
      'Temporal',
      `${env.TEMPORAL_ADDRESS}  namespace ${env.TEMPORAL_NAMESPACE}, task queue ${env.TEMPORAL_TASK_QUEUE}`,
    ),
    ...(info.extraRows ?? []).map(([label, value]) => row(label, value)),
    row('MongoDB', env.MONGO_URL),
    row('Admin key', info.adminKey),
  ];
  if (info.demoKeys.length > 0) {
    lines.push('  Demo keys');
    const roleWidth = Math.max(...info.demoKeys.map((k) => k.role.length)) + 2;
    const unitWidth = Math.max(...info.demoKeys.map((k) => (k.unitCode ?? '-').length)) + 2;
    for (const { role, unitCode, key } of info.demoKeys) {
      lines.push(`    ${role.padEnd(roleWidth)}${(unitCode ?? '-').padEnd(unitWidth)}${key}`);
    }
  }
  lines.push('', '  Try it:', `    ${exampleCurl(apiUrl, info)}`, '');
  lines.push(`  ${info.footer}`, '');
  process.stdout.write(`${lines.join('\n')}\n`);
}

function exampleCurl(apiUrl: string, info: { adminKey: string; demoKeys: DemoKey[] }): string {
  const intakeKey = info.demoKeys.find((k) => k.role === 'intake')?.key;
  if (!intakeKey) return `curl -s ${apiUrl}/v1/admin/units -H 'Authorization: Bearer ${info.adminKey}'`;
  const body = {
    channel: 'online',
    kind: 'request',
    category: 'housing',
    regionCode: '330106',
    subject: '小区电梯长期停运',
    content: '我住的小区电梯已停运三个月，物业不予维修，请协调解决。',
    petitioner: { name: '张三', phone: '13800000000' },
  };
  return [
    `curl -s -X POST ${apiUrl}/v1/cases`,
    `-H 'Authorization: Bearer ${intakeKey}'`,
    `-H 'Content-Type: application/json' -H 'Idempotency-Key: demo-case-0001'`,
    `-d '${JSON.stringify(body)}'`,
  ].join(' \\\n      ');
}
