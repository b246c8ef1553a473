// The environment is read and validated once, at start-up, and every bad variable is listed at once.
import { z } from 'zod';

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  MANBING_DATA_DIR: z.string().min(1).default('./.manbing'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  /** Unset: secure cookies when the request came over HTTPS (X-Forwarded-Proto counts only from a trusted proxy). */
  COOKIE_SECURE: z.stringbool().optional(),
  /** Whom to believe X-Forwarded-For/-Proto from: false (default), true (any peer), or the proxies' addresses/CIDRs. */
  TRUST_PROXY: z
    .string()
    .trim()
    .default('false')
    .transform((v): boolean | string => (/^(true|on|yes)$/i.test(v) ? true : /^(false|off|no|0|)$/i.test(v) ? false : v))
    .refine(
      (v) => typeof v !== 'string' || (/^[\w.:/, ]+$/.test(v) && !/^\d+$/.test(v)),
      'expected true, false, or the proxies\' addresses/CIDRs (or loopback, uniquelocal) separated by commas',
    ),
  /** Sign-in attempts per minute from one address (0: no limit). */
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(0).default(30),
  /** Requests per minute from one address without a session to /api/… and /health (0: no limit); signed-in callers are not limited. */
  RATE_LIMIT: z.coerce.number().int().min(0).default(1200),
  /** The daily follow-up reminder job in `manbing start` (on by default; tests and benchmarks never start it). */
  MANBING_REMINDERS: z.stringbool().default(true),
  /** The nightly smart audit of yesterday's claims in `manbing start` (on by default; tests and benchmarks never start it). */
  MANBING_AUDIT: z.stringbool().default(true),
});

export type Config = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  throw new Error(`Invalid environment:\n${lines.join('\n')}`);
}
