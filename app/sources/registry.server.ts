/**
 * Every source Lifeline can take subscription events from. Adding a vendor is adding
 * its folder (app/sources/<id>/) and its line here.
 */
import type { SourceDefinition } from "./definition";
import { recharge } from "./recharge/source.server";
import { seal } from "./seal/index.server";
import { flow } from "./flow/index.server";

const SOURCES: readonly SourceDefinition[] = [recharge, seal, flow];

export function sourceById(id: string): SourceDefinition | null {
  return SOURCES.find((s) => s.id === id) ?? null;
}

export function allSources(): readonly SourceDefinition[] {
  return SOURCES;
}

/** Inbox topics of source deliveries are "<source>:<vendor topic>"; Shopify's have no colon. */
export function sourceTopic(sourceId: string, topic: string): string {
  return `${sourceId}:${topic}`;
}

export function splitSourceTopic(inboxTopic: string): { source: SourceDefinition; topic: string } | null {
  const at = inboxTopic.indexOf(":");
  if (at <= 0) return null;
  const source = sourceById(inboxTopic.slice(0, at));
  return source ? { source, topic: inboxTopic.slice(at + 1) } : null;
}
