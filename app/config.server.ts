import { z } from "zod";

/**
 * Configuration, parsed once at boot. A missing or malformed value stops the
 * app with the names of what is wrong, rather than failing later mid-request.
 * These variable names are a public contract.
 */
const schema = z.object({
  SHOPIFY_API_KEY: z.string().min(1),
  SHOPIFY_API_SECRET: z.string().min(1),
  SHOPIFY_APP_URL: z.string().url(),
  SCOPES: z.string().min(1),
  DATABASE_URL: z
    .string()
    .refine((v) => v.startsWith("file:") || /^postgres(ql)?:\/\//.test(v), {
      message: "must be a file: URL (SQLite) or a postgres:// URL",
    }),
  ENCRYPTION_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, "must be 64 hex characters (32 bytes), e.g. `openssl rand -hex 32`"),
  KLAVIYO_API_BASE_URL: z.string().url().default("https://a.klaviyo.com"),
  RECHARGE_API_BASE_URL: z.string().url().default("https://api.rechargeapps.com"),
  SEAL_API_BASE_URL: z.string().url().default("https://app.sealsubscriptions.com/shopify/merchant/api"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Lifeline cannot start; fix these environment variables:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join(".");
    return issue.code === "invalid_type" && issue.received === "undefined"
      ? `${name}: missing`
      : `${name}: ${issue.message}`;
  });
  throw new ConfigError(problems);
}

let cached: Config | undefined;

/** The process's configuration, parsed on first use. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
