/**
 * The real app, as production runs it: `npm start`'s command from package.json, read
 * when the demo runs, on the production build (rebuilt first when app/ is newer).
 * It runs in its own process group so that stopping it stops everything it started.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { waitForPort } from "../lib/server-process";

export interface AppServer {
  url: string;
  pid: number;
  /** The server's last output lines, for when something goes wrong. */
  output(): string;
  /** Lines the worker logged about failed job attempts. */
  jobFailuresLogged(): number;
  stop(): Promise<void>;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the app when there is no build or app/ changed since it was made. Returns whether it built. */
export function ensureBuild(root: string, env: Record<string, string | undefined>): boolean {
  const built = path.join(root, "build/server/index.js");
  if (existsSync(built) && statSync(built).mtimeMs >= newestMtime(path.join(root, "app"))) return false;
  const result = spawnSync("npm", ["run", "build"], { cwd: root, env: env as NodeJS.ProcessEnv, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    // Vite lists every module it saw; the error is in what is left.
    const lines = `${result.stdout}\n${result.stderr}`.split("\n").filter((l) => !/^\s+'\//.test(l));
    throw new Error(`npm run build failed (exit ${result.status}):\n${lines.slice(-40).join("\n")}`);
  }
  return true;
}

export function startCommand(root: string): string {
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts?: Record<string, string> };
  const command = pkg.scripts?.start;
  if (!command) throw new Error("package.json has no scripts.start");
  return command;
}

export async function startAppServer(options: {
  root: string;
  port: number;
  env: Record<string, string | undefined>;
  /** ES modules to load into the server before the app (NODE_OPTIONS --import). */
  preload: string[];
  startupTimeoutMs?: number;
}): Promise<AppServer> {
  const { root, port } = options;
  const nodeOptions = [options.env.NODE_OPTIONS ?? "", ...options.preload.map((p) => `--import ${pathToFileURL(p).href}`)].join(" ").trim();
  const child = spawn("/bin/sh", ["-c", startCommand(root)], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...options.env,
      PORT: String(port),
      NODE_OPTIONS: nodeOptions,
      // What `npm start` puts on the PATH.
      PATH: `${path.join(root, "node_modules/.bin")}${path.delimiter}${options.env.PATH ?? ""}`,
    } as Record<string, string | undefined> as NodeJS.ProcessEnv,
  });

  const lines: string[] = [];
  let failures = 0;
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (!line) continue;
      if (/"msg":"job failed"/.test(line)) failures++;
      lines.push(line);
      if (lines.length > 200) lines.shift();
    }
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);

  const server: AppServer = {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    output: () => lines.join("\n"),
    jobFailuresLogged: () => failures,
    stop: () => stopGroup(child),
  };

  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code, signal) =>
      reject(new Error(`the app server exited during startup (${signal ?? `exit ${code}`}):\n${server.output()}`)),
    ),
  );
  exited.catch(() => {});
  try {
    await Promise.race([waitForPort(port, options.startupTimeoutMs ?? 60_000), exited]);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

/** Whether the app's local demo mode answers: /demo redirects into the admin pages when it is on. */
export async function hasDemoMode(appUrl: string, userAgent: string): Promise<boolean> {
  try {
    const response = await fetch(`${appUrl}/demo`, { redirect: "manual", headers: { "user-agent": userAgent } });
    await response.body?.cancel();
    return response.status >= 300 && response.status < 400;
  } catch {
    return false;
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to the server's process group; SIGKILL if anything is still there after 12 s. */
async function stopGroup(child: ChildProcess): Promise<void> {
  const pgid = child.pid!;
  if (!groupAlive(pgid)) return;
  try {
    process.kill(-pgid, "SIGTERM");
  } catch {
    return;
  }
  const deadline = Date.now() + 12_000;
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive(pgid)) {
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}
