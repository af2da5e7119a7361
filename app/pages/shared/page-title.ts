/**
 * Each admin page's name, declared once by its route (`export const handle = pageHandle("Tasks")`,
 * or from its loader's data for a subscriber or a trigger) and shown twice: as the document
 * title ("Tasks · Lifeline", the route's `meta = pageMeta`) and in the admin's App Bridge
 * title bar (drawn by the app layout).
 */
export const APP_NAME = "Lifeline";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PageName = string | ((data: any) => string | null | undefined);

export interface PageHandle {
  pageName: PageName;
}

export function pageHandle(pageName: PageName): PageHandle {
  return { pageName };
}

interface MatchLike {
  handle?: unknown;
  data?: unknown;
}

/** The name the deepest matched page declares, or null when none does. */
export function pageNameOf(matches: readonly MatchLike[]): string | null {
  for (let i = matches.length - 1; i >= 0; i--) {
    const handle = matches[i].handle as Partial<PageHandle> | undefined;
    if (handle?.pageName === undefined) continue;
    const name = typeof handle.pageName === "function" ? handle.pageName(matches[i].data) : handle.pageName;
    if (name) return name;
  }
  return null;
}

/** "At-risk this week · Lifeline"; the app's name alone for a page without one. */
export function documentTitle(pageName: string | null): string {
  return pageName ? `${pageName} · ${APP_NAME}` : APP_NAME;
}

/** A route's `meta`: its document title from its own `handle`. Remix hands a route's meta the matches up to itself. */
export const pageMeta = ({ matches }: { matches: readonly MatchLike[] }) => [{ title: documentTitle(pageNameOf(matches)) }];
