/**
 * Connects the demo shop to a subscription app as a merchant does: the Settings page's
 * "Connect" form posted to the app with the session token its demo mode hands out (what
 * App Bridge gives the page inside the Shopify admin). The app then does the rest itself:
 * checks the credentials with the vendor, stores them sealed, and queues the job that
 * registers its webhooks at the vendor and imports the history.
 */
import { CHROME_USER_AGENT } from "./post-deliveries";

export interface SettingsAnswer {
  status: number;
  /** What the page would show the merchant (the action's message), as far as it could be read. */
  message: string;
}

export async function connectThroughSettings(appUrl: string, sourceId: string, credentials: Record<string, string>): Promise<SettingsAnswer> {
  const tokenResponse = await fetch(`${appUrl}/demo/token`, { headers: { accept: "application/json", "user-agent": CHROME_USER_AGENT } });
  if (!tokenResponse.ok) throw new Error(`the app's demo mode gave no session token (/demo/token answered ${tokenResponse.status}): is LIFELINE_DEMO on?`);
  const { token } = (await tokenResponse.json()) as { token: string };

  const form = new URLSearchParams({ intent: "source-connect", source: sourceId });
  for (const [key, value] of Object.entries(credentials)) form.set(`credential.${key}`, value);
  // The form's submission as Remix makes it (single fetch: the route's .data URL).
  const response = await fetch(`${appUrl}/app/settings.data`, {
    method: "POST",
    body: form,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/x-www-form-urlencoded", "user-agent": CHROME_USER_AGENT },
  });
  const text = await response.text();
  return { status: response.status, message: messageIn(text) };
}

/** The action's message or error from the turbo-stream answer: its longest plain sentence. */
function messageIn(text: string): string {
  const strings = [...text.matchAll(/"((?:[^"\\]|\\.){12,})"/g)].map((m) => m[1].replace(/\\"/g, '"'));
  return strings.sort((a, b) => b.length - a.length)[0] ?? text.slice(0, 200);
}
