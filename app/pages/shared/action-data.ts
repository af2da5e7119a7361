// What a page's action answers: shown as a toast, or as a field's error. Safe for the browser bundle.
import type { Undo } from "../at-risk/at-risk-options";

/** One answer; `at` tells two equal answers apart, so each shows its toast once. */
export interface ActionData {
  ok: boolean;
  /** Whose row asked: the shared fetcher's answer belongs to that row only. */
  subscriberId?: string;
  /** The task inbox's: which task's row asked. */
  taskId?: string;
  intent?: string;
  message?: string;
  /** Given for a dismissal or a snooze: posted back with intent "undo" to put it back. */
  undo?: Undo;
  error?: string;
  fieldErrors?: Record<string, string>;
  at?: number;
}
