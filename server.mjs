// Lifeline's production server (`npm start`). Webhooks are answered on a node:http fast
// path before Remix (verify, keep, acknowledge: app/intake/intake.server.ts), and so are
// the subscription apps' and Flow's deliveries (app/sources/intake.server.ts); the admin
// pages and everything else go through Express and Remix, as remix-serve does.
// Every worker runs in this process (app/workers.server.ts, started by app/queue/boot.server.ts)
// unless LIFELINE_WORKER=off, when `npm run worker` runs the same workers on its own.
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import express from "express";
import compression from "compression";
import { createRequestHandler } from "@remix-run/express";

const here = path.dirname(fileURLToPath(import.meta.url));
const build = await import(path.join(here, "build/server/index.js"));
const { handleWebhookRequest, handleSourceRequest, sourceAddressOf } = build.entry.module;

const app = express();
app.disable("x-powered-by");
app.use(compression());
app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
app.use(express.static(path.join(here, "public"), { maxAge: "1h" }));
app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

const server = http.createServer((req, res) => {
  if (req.url && req.url.startsWith("/webhooks/")) return handleWebhookRequest(req, res);
  const source = req.url && req.url.startsWith("/api/") ? sourceAddressOf(req.url) : null;
  if (source) return handleSourceRequest(req, res, source);
  return app(req, res);
});

const port = Number(process.env.PORT || 3000);
server.listen(port, () => console.log(`Lifeline listening on http://localhost:${port}`));

function shutdown() {
  server.close();
  build.entry.module.stopInProcessWorker?.().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 10_000).unref();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
