import { chromium, type Browser } from 'playwright-core';
import path from 'node:path';
import request from 'supertest';
import { caseWorkflowId } from '../domain/ids';
import { eventually, startCaseStack, type CaseStack } from '../harness/case-stack';
import { uniqueName } from '../harness/shared-servers';

const OUTPUT = path.resolve(__dirname, 'output');

describe('operators find and read a case in the Temporal Web UI (headless Chromium)', () => {
  let stack: CaseStack;
  let browser: Browser;
  beforeAll(async () => {
    stack = await startCaseStack();
    browser = await chromium.launch({
      executablePath: process.env.XINFANG_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('filters by CaseStage and unit, opens the case, shows its summary, details and a timer summary, and finds it by its number', async () => {
    const ui = process.env.XINFANG_TEST_TEMPORAL_UI;
    expect(ui).toBeDefined();
    const intake = await request(stack.app)
      .post('/v1/cases')
      .set('Authorization', `Bearer ${stack.keys.intake}`)
      .send({
        channel: 'visit',
        kind: 'complaint',
        subject: uniqueName('ui'),
        content: 'Noise at night.',
        regionCode: '330106',
        category: 'environment',
        petitioner: { name: '钱七', phone: '13500000000' },
      })
      .expect(201);
    const { caseId, caseNumber } = intake.body;
    await request(stack.app)
      .post(`/v1/cases/${caseId}/acceptance`)
      .set('Authorization', `Bearer ${stack.keys.office}`)
      .send({ actionId: uniqueName('accept'), decision: 'accept' })
      .expect(200);
    const workflowId = caseWorkflowId(caseId);
    const query = `CaseStage = 'transferred' AND CaseUnit = '330100-HB' AND WorkflowId = '${workflowId}'`;
    await eventually(async () => {
      for await (const _ of stack.client.workflow.list({ query })) return true;
      return false;
    });

    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    try {
      await page.goto(`${ui}/namespaces/default/workflows?query=${encodeURIComponent(query)}`);
      const row = page.getByRole('link', { name: workflowId }).first();
      await row.waitFor({ timeout: 30_000 });
      await page.screenshot({ path: path.join(OUTPUT, 'operator-ui-list.png'), fullPage: true });
      await row.click();
      // The event history reads as the case's story: timers and activities carry their summaries.
      await page
        .getByText(/C3 签收期限 — .*提醒/)
        .first()
        .waitFor({ timeout: 30_000 });
      await page
        .getByText(/向单位330100-HB推送webhook/)
        .first()
        .waitFor({ timeout: 30_000 });
      await page.screenshot({ path: path.join(OUTPUT, 'operator-ui-history.png'), fullPage: true });
      await page
        .getByRole('tab', { name: /User Metadata/ })
        .or(page.getByText('User Metadata'))
        .first()
        .click();
      // Summary, details and current details are markdown, rendered by the UI in sandboxed frames.
      const rendered = async () =>
        (await Promise.all(page.frames().map((frame) => frame.content().catch(() => '')))).join('\n');
      const metadata = await eventually(async () => {
        const text = await rendered();
        return text.includes(`信访事项${caseNumber}`) && text.includes('阶段：') ? text : undefined;
      }, 30_000);
      expect(metadata).toContain('申诉，来访，行政区划330106，办理规则zhejiang');
      expect(metadata).toMatch(/渠道(<\/strong>)?\s*来访/);
      expect(metadata).toMatch(/330100-HB（转送）/);
      expect(metadata).toMatch(/C3 签收：截止于\d{4}年\d{1,2}月\d{1,2}日24时 — 计时中/);
      await page.screenshot({ path: path.join(OUTPUT, 'operator-ui-case.png'), fullPage: true });
      const html = await page.content();
      expect(html).not.toContain('钱七');
      expect(html).not.toContain('13500000000');

      // The petitioner reads out the number on the notice: the list finds the case by it alone.
      await page.goto(`${ui}/namespaces/default/workflows?query=${encodeURIComponent(`CaseNumber = '${caseNumber}'`)}`);
      await page.getByRole('link', { name: workflowId }).first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: path.join(OUTPUT, 'operator-ui-by-number.png'), fullPage: true });
      const other = `XF-330106-20000101-${caseNumber.slice(-6)}`;
      await page.goto(`${ui}/namespaces/default/workflows?query=${encodeURIComponent(`CaseNumber = '${other}'`)}`);
      await page.getByText('No Results').first().waitFor({ timeout: 30_000 });
      expect(await page.getByRole('link', { name: workflowId }).count()).toBe(0);
    } catch (error) {
      await page.screenshot({ path: path.join(OUTPUT, 'operator-ui-failure.png'), fullPage: true });
      throw error;
    } finally {
      await page.close();
    }
  });
});
