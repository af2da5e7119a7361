/**
 * A local stand-in for Shopify's Admin GraphQL API, answered from the simulated store
 * as it was at `asOf` (the simulated time of the latest webhook sent so far), so the
 * app's enrichment sees each contract as it would have in real time.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { answerAdminGraphql, type SimulatedStore } from "../../simulator/index";
import { readBody } from "../../simulator/http";

export interface AdminApiServer {
  /** e.g. http://127.0.0.1:40123 (requests go to <url>/admin/api/<version>/graphql.json) */
  url: string;
  /** Calls answered, by operation name. */
  calls: Map<string, number>;
  /** Calls refused or answered with GraphQL errors. */
  errors: number;
  setAsOf(at: Date): void;
  asOf(): Date;
  stop(): Promise<void>;
}

const GRAPHQL_PATH = /^\/admin\/api\/[^/]+\/graphql\.json$/;

export function operationNameOf(query: string): string | null {
  return /\b(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? null;
}

export async function startAdminApiServer(
  store: SimulatedStore,
  options: { accessToken: string; asOf: Date; port?: number },
): Promise<AdminApiServer> {
  let asOf = options.asOf;
  const sockets = new Set<Socket>();

  const api: AdminApiServer = {
    url: "",
    calls: new Map(),
    errors: 0,
    setAsOf(at) {
      if (at.getTime() > asOf.getTime()) asOf = at;
    },
    asOf: () => asOf,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (!GRAPHQL_PATH.test(path)) return json(res, 404, { errors: "Not Found" });
    if (req.method !== "POST") return json(res, 405, { errors: "Method Not Allowed" });
    // Shopify answers a missing or wrong token with 401, which the app treats as final.
    if (req.headers["x-shopify-access-token"] !== options.accessToken) {
      api.errors++;
      return json(res, 401, { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
    }
    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      api.errors++;
      return json(res, 400, { errors: { query: "Required parameter missing or invalid" } });
    }
    const query = typeof body.query === "string" ? body.query : "";
    const op = (typeof body.operationName === "string" ? body.operationName : null) ?? operationNameOf(query) ?? "(anonymous)";
    const variables = body.variables && typeof body.variables === "object" ? (body.variables as Record<string, unknown>) : {};
    const result = answerAdminGraphql(store, op, variables, asOf);
    api.calls.set(op, (api.calls.get(op) ?? 0) + 1);
    if ("errors" in result) api.errors++;
    json(res, 200, result);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      api.errors++;
      if (!res.headersSent) json(res, 500, { errors: String(error) });
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return api;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}
