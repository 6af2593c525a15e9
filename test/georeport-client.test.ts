/**
 * GeoReport v2 as a third-party client speaks it: the Python package `georeport` (PyPI) lists services, reads a
 * request by ID right after it was posted form-encoded, and lists requests, in XML and in JSON, against the API
 * listening on a port.
 */
import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { startCaseStack, type CaseStack } from '../harness/case-stack';
import { georeportPython } from './env/georeport';
import { uniqueName } from '../harness/shared-servers';

const run = promisify(execFile);

interface Seen {
  content_type: string;
  status_code: number;
  service_codes: string[];
  attribute_codes: string[];
  service_request_id: string;
  one: { service_request_id: string; status: string; service_code: string; description: string };
  by_id: string[];
  listed: string[];
}

describe('the georeport client from PyPI', () => {
  let stack: CaseStack;
  let server: Server;
  let python: string;
  let root: string;

  beforeAll(async () => {
    // No skip: without the venv this suite fails with the reason.
    python = await georeportPython();
    stack = await startCaseStack();
    server = await new Promise<Server>((resolve) => {
      const listening = stack.app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    root = `http://127.0.0.1:${(server.address() as AddressInfo).port}/open311/v2`;
  }, 600_000);
  afterAll(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await stack?.stop();
  });

  it.each(['xml', 'json'] as const)(
    'lists services, posts form-encoded, reads the request at once and lists it (%s)',
    async (format) => {
      const subject = uniqueName(`georeport ${format}`).replace(/\d/g, (d) => 'ghijklmnop'[Number(d)]!);
      const script = path.join(__dirname, 'env', 'georeport_client.py');
      const { stdout } = await run(python, [script, root, stack.keys.intake!, format, subject], {
        timeout: 180_000,
      });
      const seen = JSON.parse(stdout) as Seen;
      expect(seen.status_code).toBe(201);
      expect(seen.content_type).toBe(format === 'xml' ? 'text/xml; charset=utf-8' : 'application/json; charset=utf-8');
      expect(seen.service_codes).toEqual(expect.arrayContaining(['environment', 'housing', 'other']));
      expect(seen.attribute_codes).toEqual(expect.arrayContaining(['region_code', 'kind', 'publication_consent']));
      expect(seen.one).toEqual({
        service_request_id: seen.service_request_id,
        status: 'open',
        service_code: 'environment',
        description: subject,
      });
      expect(seen.by_id).toEqual([seen.service_request_id]);
      expect(seen.listed).toContain(seen.service_request_id);
    },
    240_000,
  );
});
