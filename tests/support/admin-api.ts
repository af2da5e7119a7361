/**
 * Shopify's Admin GraphQL API, mocked by operation name: the one outside service that
 * cannot run here. Requests to https://<shop>/admin/api/.../graphql.json are answered by
 * the handler registered for the query's operation name; anything else goes to the network.
 */
export type AdminHandler = (variables: Record<string, unknown>, shop: string) => unknown | Promise<unknown>;

interface AdminCall {
  shop: string;
  operationName: string;
  variables: Record<string, unknown>;
}

const handlers = new Map<string, AdminHandler>();

/** What every test shop's Admin API says of the shop unless a test says otherwise (Shop.currencyCode, ianaTimezone, email). */
export const TEST_SHOP_CONTEXT = { currencyCode: "USD", ianaTimezone: "UTC", email: null as string | null };
const DEFAULTS: Record<string, AdminHandler> = { ShopContext: () => ({ shop: TEST_SHOP_CONTEXT }) };
export const adminCalls: AdminCall[] = [];
let failuresToInject = 0;
let down = false;
let downStatus = 503;

export function mockAdminOperation(operationName: string, handler: AdminHandler): void {
  handlers.set(operationName, handler);
}

export function resetAdminApi(): void {
  handlers.clear();
  adminCalls.length = 0;
  failuresToInject = 0;
  down = false;
}

/**
 * Until called again with false, every Admin API call answers 503: an outage of unknown
 * length. With 401 or 403: the store refuses Lifeline's token.
 */
export function setAdminApiDown(isDown: boolean, status = 503): void {
  down = isDown;
  downStatus = status;
}

/** The next `count` Admin API calls answer 503, as during a Shopify incident. */
export function failNextAdminCalls(count: number): void {
  failuresToInject = count;
}

export function operationNameOf(query: string): string | null {
  return /\b(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? null;
}

export function installAdminApiMock(): void {
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input.toString() : input.url);
    if (!/\/admin\/api\/[^/]+\/graphql\.json$/.test(url.pathname)) return realFetch(input, init);
    const raw = init?.body ?? (input instanceof Request ? await input.text() : "{}");
    const body = JSON.parse(String(raw)) as { query: string; variables?: Record<string, unknown> };
    const operationName = operationNameOf(body.query) ?? "(anonymous)";
    const variables = body.variables ?? {};
    adminCalls.push({ shop: url.host, operationName, variables });
    if (down || failuresToInject > 0) {
      if (!down) failuresToInject -= 1;
      const status = down ? downStatus : 503;
      return new Response(JSON.stringify({ errors: status === 503 ? "Service Unavailable" : "Unauthorized" }), { status, headers: { "content-type": "application/json" } });
    }
    const handler = handlers.get(operationName) ?? DEFAULTS[operationName];
    if (!handler) {
      return new Response(JSON.stringify({ errors: [{ message: `no mock for ${operationName}` }] }), {
        status: 200,
        headers: { "content-type": "application/json" },
      });
    }
    const data = await handler(variables, url.host);
    return new Response(JSON.stringify({ data }), { status: 200, headers: { "content-type": "application/json" } });
  };
}
