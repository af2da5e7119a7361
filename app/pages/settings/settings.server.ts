/**
 * The settings page's data, gathered in one place: the Klaviyo connection (its status
 * only: the key never leaves the server), the score settings, and the weekly digest.
 */
import { z } from "zod";
import prisma from "../../db.server";
import { klaviyoStatus, type KlaviyoStatus } from "../../models/klaviyo-connection.server";
import { helpdeskStatus, type HelpdeskStatus } from "../../models/helpdesk-connection.server";
import { scoreSettings, type ScoreSettings } from "./score-settings.server";
import { WEEKDAYS } from "./settings-options";

export interface DigestSettings {
  enabled: boolean;
  weekday: number;
  /** 0-23, in the shop's time zone. */
  hour: number;
  /** The address chosen here; when empty the digest goes to `storeEmail`. */
  email: string | null;
  /** The store's email as Shopify gives it (Settings > General in the Shopify admin). */
  storeEmail: string | null;
}

export interface SettingsPage {
  klaviyo: KlaviyoStatus;
  /** Whether a signing secret exists, never the secret. */
  helpdesk: HelpdeskStatus;
  score: ScoreSettings;
  digest: DigestSettings;
  timeZone: string;
}

export async function settingsPage(shop: string): Promise<SettingsPage> {
  const [klaviyo, helpdesk, score, row, shopRow] = await Promise.all([
    klaviyoStatus(shop),
    helpdeskStatus(shop),
    scoreSettings(shop),
    prisma.shopSettings.findUnique({ where: { shop }, select: { digestEnabled: true, digestWeekday: true, digestHour: true, digestEmail: true } }),
    prisma.shop.findUnique({ where: { shop }, select: { timezone: true, email: true } }),
  ]);
  return {
    klaviyo,
    helpdesk,
    score,
    // On by default: a shop that never saved this card gets the digest too.
    digest: { enabled: row?.digestEnabled ?? true, weekday: row?.digestWeekday ?? 1, hour: row?.digestHour ?? 8, email: row?.digestEmail ?? null, storeEmail: shopRow?.email ?? null },
    timeZone: shopRow?.timezone ?? "UTC",
  };
}

export const digestSchema = z
  .object({
    enabled: z.enum(["on", "off"]).default("off"),
    weekday: z.coerce
      .number({ invalid_type_error: "Choose a day." })
      .int()
      .refine((d) => WEEKDAYS.some((w) => w.value === String(d)), "Choose a day."),
    hour: z.coerce
      .number({ invalid_type_error: "Choose an hour." })
      .int("Choose an hour.")
      .min(0, "Choose an hour.")
      .max(23, "Choose an hour.")
      .default(8),
    email: z.string().trim().max(254, "Keep the address under 254 characters.").default(""),
  })
  .superRefine((v, ctx) => {
    // An empty address means the store's email.
    if (v.email !== "" && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v.email)) ctx.addIssue({ code: "custom", path: ["email"], message: "Enter a valid email address." });
  });

export async function saveDigest(shop: string, input: z.output<typeof digestSchema>): Promise<DigestSettings> {
  const data = { digestEnabled: input.enabled === "on", digestWeekday: input.weekday, digestHour: input.hour, digestEmail: input.email || null };
  const [row, shopRow] = await Promise.all([
    prisma.shopSettings.upsert({ where: { shop }, create: { shop, ...data }, update: data }),
    prisma.shop.findUnique({ where: { shop }, select: { email: true } }),
  ]);
  return { enabled: row.digestEnabled, weekday: row.digestWeekday, hour: row.digestHour, email: row.digestEmail, storeEmail: shopRow?.email ?? null };
}
