// The floor for the intake benchmark: a bare node:http server that checks the HMAC and
// inserts one row into SQLite, and nothing else. Lifeline's intake is compared with it.
import http from "node:http";
import { createHmac, timingSafeEqual } from "node:crypto";
import Database from "better-sqlite3";

const file = process.env.FLOOR_DB!;
const secret = process.env.SHOPIFY_API_SECRET!;
const db = new Database(file);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.exec("CREATE TABLE IF NOT EXISTS inbox (id INTEGER PRIMARY KEY, shop TEXT, key TEXT, body TEXT, UNIQUE(shop, key))");
const insert = db.prepare("INSERT OR IGNORE INTO inbox (shop, key, body) VALUES (?, ?, ?)");

http
  .createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const expected = createHmac("sha256", secret).update(body).digest();
      const given = Buffer.from(String(req.headers["x-shopify-hmac-sha256"] ?? ""), "base64");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.writeHead(401).end();
        return;
      }
      insert.run(req.headers["x-shopify-shop-domain"], req.headers["x-shopify-event-id"], body.toString("utf8"));
      res.writeHead(200).end();
    });
  })
  .listen(Number(process.env.PORT), "127.0.0.1");
