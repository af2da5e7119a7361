// What the settings page and its server models share: safe to import from the browser bundle.

/** ISO weekdays, as ShopSettings.digestWeekday stores them (1 = Monday). */
export const WEEKDAYS = [
  { value: "1", label: "Monday" },
  { value: "2", label: "Tuesday" },
  { value: "3", label: "Wednesday" },
  { value: "4", label: "Thursday" },
  { value: "5", label: "Friday" },
  { value: "6", label: "Saturday" },
  { value: "7", label: "Sunday" },
];

/** Hours of the day for the digest, shop time. */
export const DIGEST_HOURS = Array.from({ length: 24 }, (_, h) => ({ value: String(h), label: `${String(h).padStart(2, "0")}:00` }));

/** How often the page checks a running rescore. */
export const RESCORE_POLL_MS = 2000;

export const KLAVIYO_KEY_PREFIX = "pk_";

/** What every settings form's action answers; never carries the Klaviyo key. */
export interface SettingsActionData {
  ok: boolean;
  message?: string;
  /** Only in the answer that created or rotated it: the helpdesk secret is shown once. */
  helpdesk?: { secret: string; endpoint: string };
  error?: string;
  fieldErrors?: Record<string, string>;
  at: number;
}
