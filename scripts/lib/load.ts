/** One acknowledgement run for the intake benchmarks: autocannon POSTs to a server, each request a fresh delivery. */
import autocannon from "autocannon";
import { watchRss } from "./server-process";

export interface Figures {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  peakRssMb: number;
}

export interface Delivery {
  body: string;
  headers: Record<string, string>;
}

export interface LoadOptions {
  port: number;
  pathName: string;
  /** The server's process, whose peak memory is read during the run. */
  pid: number;
  connections: number;
  duration: number;
  /** Every request a distinct delivery, as under real load (a repeat would be a cheap duplicate). */
  next: () => Delivery;
}

export async function load(name: string, o: LoadOptions): Promise<Figures> {
  const rss = watchRss(o.pid);
  const result = await autocannon({
    url: `http://127.0.0.1:${o.port}${o.pathName}`,
    connections: o.connections,
    duration: o.duration,
    method: "POST",
    requests: [
      {
        method: "POST",
        path: o.pathName,
        setupRequest: (req: any) => {
          const d = o.next();
          req.headers = d.headers;
          req.body = d.body;
          return req;
        },
      },
    ],
  });
  return { name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors, peakRssMb: rss.stop() };
}
