import { z } from 'zod';
import { WebhookAllowlist } from '../outbound/webhook-targets';
import { DEFAULT_REMINDER_TIME, reminderTimeOf } from '../domain/reminders';

/** Every setting the processes read from the environment, validated once at start. */
const EnvSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('xinfang-cases'),
  MONGO_URL: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URL')
    .default('mongodb://127.0.0.1:27017/xinfang'),
  /** Secret for tracking PINs and for sealing intake records in transit through Temporal (≥32 chars). */
  XINFANG_SECRET: z.string().min(32, 'must be at least 32 characters (generate one with `openssl rand -hex 32`)'),
  XINFANG_ADMIN_KEY: z.string().min(24, 'must be at least 24 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMTP_URL: z.string().url().optional(),
  /** The SMS provider's endpoint: notices are POSTed to it as JSON `{ to, text }` (activities/sms.ts). */
  XINFANG_SMS_URL: z.string().url().optional(),
  /** Case executions a worker keeps in memory (default in worker/worker.ts); beyond it a task replays the history. */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce
    .number()
    .int()
    .min(2, 'must be at least 2: local activities need the case to stay cached during its workflow task')
    .optional(),
  /**
   * Non-public webhook targets units may use, comma-separated: `host`, `host:port` or a CIDR range. Everything
   * loopback, private or link-local that is not named here is refused (outbound/webhook-targets.ts).
   */
  XINFANG_WEBHOOK_ALLOW: z
    .string()
    .optional()
    .transform((list) =>
      (list ?? '')
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .superRefine((entries, ctx) => {
      try {
        new WebhookAllowlist(entries);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  /**
   * When reminders land on their working day, Asia/Shanghai, `HH:MM` or `HH:MM:SS` (domain/reminders.ts): a reminder
   * is for a clerk at work. Deadlines already computed keep the ladder they were computed with.
   */
  XINFANG_REMINDER_TIME: z
    .string()
    .default(DEFAULT_REMINDER_TIME)
    .superRefine((time, ctx) => {
      try {
        reminderTimeOf(time);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  /**
   * Minutes after the reminder time over which reminders are spread, 0–240 (domain/reminders.ts): each case lands at
   * its own offset, so a day's thousands of reminders do not fall due in one second. 60 by default: 09:00–10:00.
   */
  XINFANG_REMINDER_SPREAD: z.coerce
    .number()
    .int('must be a whole number of minutes')
    .min(0, 'must be 0 or more minutes')
    .max(240, 'must be at most 240 minutes')
    .default(60),
  /**
   * Which proxies in front of the API name the client in X-Forwarded-For (Express's `trust proxy`): `true`, a hop
   * count, or addresses and ranges such as `loopback, 10.0.0.0/8`. Unset: the client is the connection's address.
   */
  XINFANG_TRUST_PROXY: z
    .string()
    .optional()
    .transform((value): boolean | number | string => {
      if (value === undefined || value === '' || value === 'false') return false;
      if (value === 'true') return true;
      return /^\d+$/.test(value) ? Number(value) : value;
    }),
  /** Activities a worker runs at once (default in worker/worker.ts). */
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).optional(),
  /**
   * Mutual TLS to the Temporal frontend (PEM files): this process's certificate and key, the CA that signed the
   * frontend's certificate (the system's roots when unset), and the name to verify it by when that differs from
   * the host in TEMPORAL_ADDRESS. Setting the certificate turns TLS on.
   */
  TEMPORAL_TLS_CERT: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS_CA: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
});

/** A certificate without its key (or the reverse) is a half-done TLS setup: refuse it rather than connect in clear. */
const CheckedEnvSchema = EnvSchema.superRefine((env, ctx) => {
  if (Boolean(env.TEMPORAL_TLS_CERT) !== Boolean(env.TEMPORAL_TLS_KEY)) {
    ctx.addIssue({
      code: 'custom',
      path: [env.TEMPORAL_TLS_CERT ? 'TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_CERT'],
      message: 'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together (mutual TLS needs both)',
    });
  }
  if (!env.TEMPORAL_TLS_CERT && (env.TEMPORAL_TLS_CA || env.TEMPORAL_TLS_SERVER_NAME)) {
    ctx.addIssue({
      code: 'custom',
      path: ['TEMPORAL_TLS_CERT'],
      message: 'TEMPORAL_TLS_CA and TEMPORAL_TLS_SERVER_NAME need TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY',
    });
  }
});

export type Env = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {}

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = CheckedEnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
