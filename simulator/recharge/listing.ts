/**
 * Recharge's list endpoints (2021-11) as the local server answers them: filters on the
 * first request, then cursor pages. As Recharge documents (fixtures/recharge/SOURCES.md,
 * "Pagination"): `limit` up to 250 (default 50), `next_cursor` / `previous_cursor` in the
 * answer, and once a cursor is sent every other parameter but `limit` is ignored: the
 * cursor itself carries the query it continues. Cursors are opaque to the client.
 */
/** An object as Recharge lists it; its `id` is a number (or its digits). */
export type RechargeObject = Record<string, unknown>;

export interface ListAnswer {
  status: number;
  body: Record<string, unknown>;
}

interface CursorState {
  /** The resource the cursor belongs to: a cursor of another list is refused. */
  r: string;
  /** The first request's filters and sort. */
  q: Record<string, string>;
  /** Keyset position: after (next) or before (previous) this sort key. */
  after?: [string | number, number];
  before?: [string | number, number];
}

const FILTERS = ["ids", "status", "customer_id", "email", "created_at_min", "created_at_max", "updated_at_min", "updated_at_max", "sort_by"] as const;
const SORTS = new Set(["id-asc", "id-desc", "created_at-asc", "created_at-desc", "updated_at-asc", "updated_at-desc"]);

const encode = (c: CursorState) => Buffer.from(JSON.stringify(c)).toString("base64url");
function decode(raw: string): CursorState | null {
  try {
    const c = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as CursorState;
    return typeof c?.r === "string" && typeof c.q === "object" ? c : null;
  } catch {
    return null;
  }
}

const idOf = (o: RechargeObject) => Number(o.id);
const customerIdOf = (o: RechargeObject): unknown => o.customer_id ?? (o.customer as { id?: unknown } | undefined)?.id;
const time = (v: unknown) => (typeof v === "string" ? Date.parse(v) : NaN);

function matches(o: RechargeObject, q: Record<string, string>): boolean {
  if (q.ids && !q.ids.split(",").map((s) => s.trim()).includes(String(idOf(o)))) return false;
  if (q.status && String(o.status).toLowerCase() !== q.status.toLowerCase()) return false;
  if (q.customer_id && String(customerIdOf(o)) !== q.customer_id) return false;
  if (q.email && String(o.email ?? "").toLowerCase() !== q.email.toLowerCase()) return false;
  for (const field of ["created_at", "updated_at"] as const) {
    const min = q[`${field}_min`];
    const max = q[`${field}_max`];
    if (min && !(time(o[field]) >= Date.parse(min))) return false;
    if (max && !(time(o[field]) <= Date.parse(max))) return false;
  }
  return true;
}

function sortKey(o: RechargeObject, field: string): [string | number, number] {
  return field === "id" ? [idOf(o), idOf(o)] : [time(o[field]), idOf(o)];
}

function compare(a: [string | number, number], b: [string | number, number]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] - b[1];
}

/** One page of `items` for a request's query string. */
export function listPage(resource: string, items: readonly RechargeObject[], params: URLSearchParams): ListAnswer {
  const limitRaw = params.get("limit");
  const limit = limitRaw === null ? 50 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 250) return { status: 422, body: { errors: { limit: "must be an integer between 1 and 250" } } };
  let state: CursorState;
  const rawCursor = params.get("cursor");
  if (rawCursor) {
    const decoded = decode(rawCursor);
    if (!decoded || decoded.r !== resource) return { status: 422, body: { errors: { cursor: "invalid cursor" } } };
    state = decoded; // every other parameter of this request is ignored
  } else {
    const q: Record<string, string> = {};
    for (const f of FILTERS) {
      const v = params.get(f);
      if (v !== null && v !== "") q[f] = v;
    }
    if (q.sort_by && !SORTS.has(q.sort_by)) return { status: 422, body: { errors: { sort_by: `unknown sort ${q.sort_by}` } } };
    state = { r: resource, q };
  }
  // Recharge's default order is not in the fixtures; ids ascending here. Clients rely on cursors only.
  const [field, direction] = (state.q.sort_by ?? "id-asc").split("-");
  const sign = direction === "desc" ? -1 : 1;
  const ordered = items.filter((o) => matches(o, state.q)).sort((a, b) => sign * compare(sortKey(a, field), sortKey(b, field)));
  let start = 0;
  let end = ordered.length;
  if (state.after) {
    const after = state.after;
    start = ordered.findIndex((o) => sign * compare(sortKey(o, field), after) > 0);
    if (start < 0) start = ordered.length;
    end = Math.min(ordered.length, start + limit);
  } else if (state.before) {
    const before = state.before;
    const firstAfter = ordered.findIndex((o) => sign * compare(sortKey(o, field), before) >= 0);
    end = firstAfter < 0 ? ordered.length : firstAfter;
    start = Math.max(0, end - limit);
  } else {
    end = Math.min(ordered.length, limit);
  }
  const page = ordered.slice(start, end);
  const next = end < ordered.length && page.length > 0 ? encode({ r: resource, q: state.q, after: sortKey(page[page.length - 1], field) }) : null;
  const previous = start > 0 && page.length > 0 ? encode({ r: resource, q: state.q, before: sortKey(page[0], field) }) : null;
  return { status: 200, body: { next_cursor: next, previous_cursor: previous, [resource]: page } };
}
