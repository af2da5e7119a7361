import type { Prisma } from "@prisma/client";
import prisma from "../db.server";
import { markFiringActed } from "./firings.server";

type Db = Prisma.TransactionClient;

export type PlayKind = "klaviyo_event" | "klaviyo_profile";
export type PlayStatus = "pending" | "sent" | "failed";

export interface NewPlayDelivery {
  shop: string;
  firingId: string;
  kind: PlayKind;
  metric: string | null;
  uniqueId: string;
  payload: unknown;
}

/**
 * Writes one play to the outbox. Unique by (firing, kind): a retried rescore finds the
 * row it wrote before. (A trigger with two plays of the same kind therefore delivers
 * the first only; the trigger editor should not offer that.)
 */
export async function writePlayDelivery(db: Db, play: NewPlayDelivery): Promise<{ id: string }> {
  return db.playDelivery.upsert({
    where: { firingId_kind: { firingId: play.firingId, kind: play.kind } },
    create: {
      shop: play.shop,
      firingId: play.firingId,
      kind: play.kind,
      metric: play.metric,
      uniqueId: play.uniqueId,
      payload: JSON.stringify(play.payload),
    },
    update: {},
    select: { id: true },
  });
}

export interface PlayToDeliver {
  id: string;
  shop: string;
  firingId: string;
  kind: string;
  metric: string | null;
  uniqueId: string;
  payload: string;
  status: string;
  attempts: number;
  lastError: string | null;
  email: string | null;
}

/** The play with the address it goes to, read now (an email redacted since firing is honoured). */
export async function loadPlayToDeliver(shop: string, id: string): Promise<PlayToDeliver | null> {
  const row = await prisma.playDelivery.findFirst({
    where: { id, shop },
    include: { firing: { select: { subscriber: { select: { email: true, redactedAt: true } } } } },
  });
  if (!row) return null;
  const subscriber = row.firing.subscriber;
  const { firing: _firing, ...play } = row;
  return { ...play, email: subscriber.redactedAt ? null : subscriber.email };
}

/** Delivered: the play is done and its firing has had its first action. */
export async function markPlaySent(id: string, firingId: string, at: Date): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.playDelivery.update({
      where: { id },
      data: { status: "sent", sentAt: at, lastError: null, attempts: { increment: 1 } },
    });
    await markFiringActed(tx, firingId, at);
  });
}

/** An attempt that did not deliver; `failed` makes it visible as needing a person. */
export async function notePlayAttempt(id: string, error: string, status: PlayStatus, counted = true): Promise<void> {
  await prisma.playDelivery.update({
    where: { id },
    data: { status, lastError: error.slice(0, 2000), ...(counted ? { attempts: { increment: 1 } } : {}) },
  });
}

/** Plays that need a person: refused by Klaviyo, or out of attempts. */
export async function listFailedPlays(shop: string, take = 100) {
  return prisma.playDelivery.findMany({
    where: { shop, status: "failed" },
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, firingId: true, kind: true, metric: true, attempts: true, lastError: true, createdAt: true },
  });
}
