/** The processes' settings: validated once at start, with the variable and the rule named. */
import { ConfigError, loadEnv } from '../config/env';
import { createCaseWorker } from '../worker/worker';
import { testSecret } from '../harness/shared-servers';

const base = { XINFANG_SECRET: testSecret };

describe('loadEnv', () => {
  test('fills the defaults and reads the worker settings as numbers', () => {
    const env = loadEnv({ ...base, WORKER_MAX_CACHED_WORKFLOWS: '500', WORKER_MAX_CONCURRENT_ACTIVITIES: '8' });
    expect(env).toMatchObject({
      PORT: 3000,
      TEMPORAL_TASK_QUEUE: 'xinfang-cases',
      WORKER_MAX_CACHED_WORKFLOWS: 500,
      WORKER_MAX_CONCURRENT_ACTIVITIES: 8,
    });
    expect(loadEnv(base).WORKER_MAX_CACHED_WORKFLOWS).toBeUndefined();
  });

  test('refuses a worker cache below 2, naming the variable and the reason', () => {
    expect(() => loadEnv({ ...base, WORKER_MAX_CACHED_WORKFLOWS: '0' })).toThrow(ConfigError);
    expect(() => loadEnv({ ...base, WORKER_MAX_CACHED_WORKFLOWS: '1' })).toThrow(
      /WORKER_MAX_CACHED_WORKFLOWS: must be at least 2: local activities need the case to stay cached/,
    );
  });

  test('reads the reminder time as HH:MM or HH:MM:SS, 09:00 by default, and refuses anything else', () => {
    expect(loadEnv(base).XINFANG_REMINDER_TIME).toBe('09:00');
    expect(loadEnv({ ...base, XINFANG_REMINDER_TIME: '08:30' }).XINFANG_REMINDER_TIME).toBe('08:30');
    expect(loadEnv({ ...base, XINFANG_REMINDER_TIME: '16:05:30' }).XINFANG_REMINDER_TIME).toBe('16:05:30');
    for (const bad of ['9:00', '24:00', '08:60', '08:30 ', 'nine']) {
      expect(() => loadEnv({ ...base, XINFANG_REMINDER_TIME: bad })).toThrow(
        /XINFANG_REMINDER_TIME: invalid reminder time .*HH:MM or HH:MM:SS/,
      );
    }
  });

  test('reads the reminder spread in whole minutes, an hour by default, and refuses anything else', () => {
    expect(loadEnv(base).XINFANG_REMINDER_SPREAD).toBe(60);
    expect(loadEnv({ ...base, XINFANG_REMINDER_SPREAD: '0' }).XINFANG_REMINDER_SPREAD).toBe(0);
    expect(loadEnv({ ...base, XINFANG_REMINDER_SPREAD: '240' }).XINFANG_REMINDER_SPREAD).toBe(240);
    for (const bad of ['-5', '1.5', '241', 'an hour']) {
      expect(() => loadEnv({ ...base, XINFANG_REMINDER_SPREAD: bad })).toThrow(/XINFANG_REMINDER_SPREAD: /);
    }
  });

  test('refuses a short secret and a non-numeric activity limit', () => {
    expect(() => loadEnv({ XINFANG_SECRET: 'short', WORKER_MAX_CONCURRENT_ACTIVITIES: 'many' })).toThrow(
      /XINFANG_SECRET: must be at least 32 characters[\s\S]*WORKER_MAX_CONCURRENT_ACTIVITIES/,
    );
  });
});

test('createCaseWorker refuses a cache the local activities cannot run with', async () => {
  const options = { maxCachedWorkflows: 0 } as Parameters<typeof createCaseWorker>[0];
  await expect(createCaseWorker(options)).rejects.toThrow('maxCachedWorkflows must be at least 2 (got 0)');
});
