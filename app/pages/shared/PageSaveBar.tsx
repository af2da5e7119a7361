/**
 * The admin's save bar for a page of forms: each form (a "section") says whether it has
 * unsaved changes and what its fields are; while any has, App Bridge's save bar shows, and
 * its one Save posts every changed section's fields together (intent "save", the changed
 * sections named in `sections`). Discard puts each section back as stored. The action's
 * answer (message, field errors) comes back to the sections through `usePageSection`.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useFetcher } from "@remix-run/react";
import { SaveBar } from "@shopify/app-bridge-react";
import { useToast } from "./useToast";

export interface PageSaveResult {
  ok: boolean;
  message?: string;
  error?: string;
  fieldErrors?: Record<string, string>;
  at: number;
}

interface Section {
  dirty: boolean;
  fields: Record<string, string>;
}

interface PageSaveContext {
  report(name: string, section: Section | null, discard?: () => void): void;
  result: PageSaveResult | undefined;
  saving: boolean;
}

const Context = createContext<PageSaveContext | null>(null);

export function PageSaveBar({ id, children }: { id: string; children: ReactNode }) {
  const fetcher = useFetcher<PageSaveResult>();
  const [sections, setSections] = useState<Record<string, Section>>({});
  const discards = useRef(new Map<string, () => void>());
  const saving = fetcher.state !== "idle";
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  useToast(result?.ok ? result.message : result?.error, { isError: result ? !result.ok : false, key: result?.at });

  const report = useCallback((name: string, section: Section | null, discard?: () => void) => {
    if (discard) discards.current.set(name, discard);
    setSections((prev) => {
      const same = section && prev[name] && prev[name].dirty === section.dirty && JSON.stringify(prev[name].fields) === JSON.stringify(section.fields);
      if (same) return prev;
      const next = { ...prev };
      if (section) next[name] = section;
      else delete next[name];
      return next;
    });
  }, []);

  const changed = Object.entries(sections).filter(([, s]) => s.dirty);
  const save = () => {
    const fields: Record<string, string> = {};
    for (const [, s] of changed) Object.assign(fields, s.fields);
    fetcher.submit({ ...fields, intent: "save", sections: changed.map(([name]) => name).join(",") }, { method: "post" });
  };
  const discard = () => {
    for (const [name] of changed) discards.current.get(name)?.();
  };
  const value = useMemo(() => ({ report, result, saving }), [report, result, saving]);

  return (
    <Context.Provider value={value}>
      <SaveBar id={id} open={changed.length > 0}>
        <button variant="primary" onClick={save} loading={saving ? "" : undefined} disabled={saving}>
          Save
        </button>
        <button onClick={discard} disabled={saving}>
          Discard
        </button>
      </SaveBar>
      {children}
    </Context.Provider>
  );
}

/**
 * One form of the page: reports whether it differs from what is stored, with its fields,
 * and how to put it back. Returns the last save's field errors and whether a save runs.
 */
export function usePageSection(name: string, section: Section, discard: () => void): { errors: Record<string, string>; saving: boolean } {
  const context = useContext(Context);
  if (!context) throw new Error("usePageSection needs a PageSaveBar around it");
  const { report, result, saving } = context;
  const fieldsJson = JSON.stringify(section.fields);
  const latestDiscard = useRef(discard);
  latestDiscard.current = discard;
  useEffect(() => {
    report(name, { dirty: section.dirty, fields: JSON.parse(fieldsJson) as Record<string, string> }, () => latestDiscard.current());
  }, [report, name, section.dirty, fieldsJson]);
  useEffect(() => () => report(name, null), [report, name]);
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  return { errors, saving };
}
