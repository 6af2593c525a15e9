import { chromium, type Browser } from 'playwright-core';
import path from 'node:path';
import request from 'supertest';
import { caseWorkflowId } from '../domain/ids';
import { eventually, startCaseStack, type CaseStack } from './env/case-stack';
import { uniqueName } from './env/servers';

const OUTPUT = path.resolve(__dirname, 'output');

describe('operators find and read a case in the Temporal Web UI (headless Chromium)', () => {
  let stack: CaseStack;
  let browser: Browser;
  beforeAll(async () => {
    stack = await startCaseStack();
    browser = await chromium.launch({
      executablePath: process.env.XINFANG_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('filters by CaseStage and unit, opens the case, and shows its summary, details and a timer summary', async () => {
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
      const row = page.getByText(workflowId).first();
      await row.waitFor({ timeout: 30_000 });
      await page.screenshot({ path: path.join(OUTPUT, 'operator-ui-list.png'), fullPage: true });
      await row.click();
      await page.getByText(`Case ${caseNumber}`).first().waitFor({ timeout: 30_000 });
      await page.getByText('Stage:').first().waitFor({ timeout: 30_000 });
      await expect(page.getByText(/transferred/).first().isVisible()).resolves.toBe(true);
      await page.getByText(/C3 acknowledge deadline/).first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: path.join(OUTPUT, 'operator-ui-case.png'), fullPage: true });
      const html = await page.content();
      expect(html).not.toContain('钱七');
      expect(html).not.toContain('13500000000');
    } catch (error) {
      await page.screenshot({ path: path.join(OUTPUT, 'operator-ui-failure.png'), fullPage: true });
      throw error;
    } finally {
      await page.close();
    }
  });
});
