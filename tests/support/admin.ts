// Requests into the admin routes as the embedded admin sends them: a session token
// (HS256, the app's secret) as a Bearer header, for a shop whose offline session is stored.
import { mintSessionToken } from "~/demo/session-token.server";

export const CHROME_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";

export interface AdminRequestInit {
  method?: "GET" | "POST";
  /** Sent as a urlencoded form body. */
  form?: Record<string, string>;
  /** Leave the session token off: what an unauthenticated caller sends. */
  unauthenticated?: boolean;
}

export function adminRequest(shop: string, pathAndQuery: string, init: AdminRequestInit = {}): Request {
  const headers = new Headers({ "User-Agent": CHROME_UA, Accept: "application/json" });
  if (!init.unauthenticated) {
    const { token } = mintSessionToken({ shop, apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! });
    headers.set("Authorization", `Bearer ${token}`);
  }
  const method = init.method ?? (init.form ? "POST" : "GET");
  const body = init.form ? new URLSearchParams(init.form) : undefined;
  if (body) headers.set("Content-Type", "application/x-www-form-urlencoded");
  return new Request(new URL(pathAndQuery, process.env.SHOPIFY_APP_URL), { method, headers, body });
}

// `context: any` so that any loader or action (typed with AppLoadContext) can be passed.
type RouteFn = (args: { request: Request; params: Record<string, string>; context: any }) => unknown;

/** What a loader or action returned, unwrapped from `data()`; a thrown Response is returned as is. */
export async function callRoute<T = any>(
  fn: RouteFn,
  request: Request,
  params: Record<string, string> = {},
): Promise<{ status: number; body: T; response?: Response }> {
  let result: unknown;
  try {
    result = await fn({ request, params, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, body: undefined as T, response: thrown };
    throw thrown;
  }
  if (result instanceof Response) return { status: result.status, body: undefined as T, response: result };
  if (result && typeof result === "object" && (result as any).type === "DataWithResponseInit") {
    const { data, init } = result as { data: T; init?: { status?: number } };
    return { status: init?.status ?? 200, body: data };
  }
  return { status: 200, body: result as T };
}
