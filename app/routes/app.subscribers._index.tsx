import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate, useNavigation, useSearchParams } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import {
  BlockStack,
  Box,
  Card,
  ChoiceList,
  EmptySearchResult,
  EmptyState,
  IndexFilters,
  IndexTable,
  InlineStack,
  Page,
  Pagination,
  Text,
  useSetIndexFiltersMode,
  type IndexFiltersProps,
} from "@shopify/polaris";
import { authenticate } from "../shopify.server";
import { listSubscribers, parseSubscriberQuery } from "../pages/subscribers/subscribers.server";
import { DEFAULT_VIEW, SORT_OPTIONS, SUBSCRIBER_VIEWS, TENURE_LABELS, VALUE_LABELS, VIEW_LABELS, segmentLabel, type SubscriberView } from "../pages/subscribers/subscribers-options";
import { SubscriberRow } from "../pages/subscribers/SubscriberRow";
import { BAND_LABELS, BAND_ORDER } from "../pages/shared/BandBadge";
import { formatCount } from "../pages/shared/format";
import { EMPTY_IMAGE } from "../pages/shared/emptyImage";
import { pageHandle, pageMeta } from "../pages/shared/page-title";

export const handle = pageHandle("Subscribers");
export const meta = pageMeta;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  // Unknown or malformed parameters are dropped (see parseSubscriberQuery): an old or
  // hand-edited link still shows a list, and the filters shown are the ones applied.
  return listSubscribers(session.shop, parseSubscriberQuery(new URL(request.url).searchParams));
};

const FILTER_KEYS = ["band", "tenure", "value", "trigger", "q"] as const;
const SEARCH_DELAY_MS = 300;
const EMPTY_VIEW: Record<SubscriberView, string> = {
  active: "No active subscribers right now.",
  at_risk: "No one is at risk right now.",
  paused: "No one has paused their subscription.",
  cancelled: "No one has cancelled.",
  all: "No subscribers.",
};

export default function Subscribers() {
  const list = useLoaderData<typeof loader>();
  const [searchParams, setSearchParams] = useSearchParams();
  const navigation = useNavigation();
  const navigate = useNavigate();
  const { mode, setMode } = useSetIndexFiltersMode();
  const loading = navigation.state === "loading" && navigation.location.pathname === "/app/subscribers";
  const q = list.query;
  const filtered = FILTER_KEYS.some((k) => q[k]);

  // Any change of filter, search or sort starts again from the first page.
  const update = (changes: Record<string, string | null | undefined>) => {
    setSearchParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value) next.set(key, value);
          else next.delete(key);
        }
        if (!("page" in changes)) next.delete("page");
        return next;
      },
      { preventScrollReset: true },
    );
  };

  // The search box is typed into locally and reaches the URL once typing pauses.
  const [search, setSearch] = useState(q.q ?? "");
  const sent = useRef(q.q ?? "");
  useEffect(() => {
    const value = search.trim();
    if (value === sent.current) return;
    const timer = setTimeout(() => {
      sent.current = value;
      update({ q: value || null });
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search]);
  // The URL changed some other way (back button, clear all): show its search.
  useEffect(() => {
    if ((q.q ?? "") !== sent.current) {
      sent.current = q.q ?? "";
      setSearch(q.q ?? "");
    }
  }, [q.q]);

  const triggerName = (key: string) => list.triggers.find((t) => t.key === key)?.name ?? key;
  const filters: IndexFiltersProps["filters"] = [
    {
      key: "band",
      label: "Health",
      pinned: true,
      filter: (
        <ChoiceList
          title="Health"
          titleHidden
          choices={BAND_ORDER.map((b) => ({ label: BAND_LABELS[b], value: b }))}
          selected={q.band ? [q.band] : []}
          onChange={([v]) => update({ band: v })}
        />
      ),
    },
    {
      key: "segment",
      label: "Segment",
      pinned: true,
      filter: (
        <BlockStack gap="300">
          <ChoiceList
            title="Tenure"
            choices={Object.entries(TENURE_LABELS).map(([value, label]) => ({ value, label }))}
            selected={q.tenure ? [q.tenure] : []}
            onChange={([v]) => update({ tenure: v })}
          />
          <ChoiceList
            title="Monthly value"
            choices={Object.entries(VALUE_LABELS).map(([value, label]) => ({ value, label }))}
            selected={q.value ? [q.value] : []}
            onChange={([v]) => update({ value: v })}
          />
        </BlockStack>
      ),
    },
    {
      key: "trigger",
      label: "Had a play from",
      filter: list.triggers.length ? (
        <ChoiceList
          title="Had a play from"
          titleHidden
          choices={list.triggers.map((t) => ({ label: t.name, value: t.key }))}
          selected={q.trigger ? [q.trigger] : []}
          onChange={([v]) => update({ trigger: v })}
        />
      ) : (
        <Text as="p" tone="subdued">
          No playbook triggers yet.
        </Text>
      ),
    },
  ];

  const applied: IndexFiltersProps["appliedFilters"] = [];
  if (q.band) applied.push({ key: "band", label: `Health: ${BAND_LABELS[q.band]}`, onRemove: () => update({ band: null }) });
  if (q.tenure || q.value) {
    const label = q.tenure && q.value ? segmentLabel(`${q.tenure}:${q.value}`) : q.tenure ? TENURE_LABELS[q.tenure] : VALUE_LABELS[q.value!];
    applied.push({ key: "segment", label: `Segment: ${label}`, onRemove: () => update({ tenure: null, value: null }) });
  }
  if (q.trigger) applied.push({ key: "trigger", label: `Had a play from: ${triggerName(q.trigger)}`, onRemove: () => update({ trigger: null }) });

  const clearAll = () => {
    sent.current = "";
    setSearch("");
    update(Object.fromEntries(FILTER_KEYS.map((k) => [k, null])));
  };

  if (!list.anySubscriber) {
    return (
      <Page title="Subscribers">
        <Card>
          <EmptyState heading="No subscribers yet" image={EMPTY_IMAGE}>
            <p>
              Everyone with a subscription in your store appears here with their health score. Existing subscriptions are imported when the app is
              installed; new ones arrive as customers subscribe.
            </p>
          </EmptyState>
        </Card>
      </Page>
    );
  }

  const first = (list.page - 1) * list.pageSize + 1;
  const last = first + list.rows.length - 1;
  return (
    <Page
      fullWidth
      title="Subscribers"
      subtitle="Everyone who subscribes to your store, with their health. Open a subscriber to see why they score as they do."
      primaryAction={{ content: "At-risk this week", url: "/app/at-risk" }}
    >
      <Card padding="0">
        <IndexFilters
          tabs={SUBSCRIBER_VIEWS.map((v) => ({ id: `view-${v}`, content: VIEW_LABELS[v], panelID: `subscribers-${v}`, isLocked: true }))}
          selected={SUBSCRIBER_VIEWS.indexOf(q.view)}
          // Each view is its own address (?view=paused), so it can be bookmarked; the list opens on Active.
          onSelect={(i) => update({ view: SUBSCRIBER_VIEWS[i] === DEFAULT_VIEW ? null : SUBSCRIBER_VIEWS[i] })}
          canCreateNewView={false}
          mode={mode}
          setMode={setMode}
          loading={loading}
          queryValue={search}
          queryPlaceholder="Search by name or email"
          onQueryChange={setSearch}
          onQueryClear={() => setSearch("")}
          sortOptions={SORT_OPTIONS}
          sortSelected={[`${q.sort} ${q.direction}`]}
          onSort={([value]) => {
            const [sort, direction] = (value ?? "score asc").split(" ");
            update({ sort, direction });
          }}
          filters={filters}
          appliedFilters={applied}
          onClearAll={clearAll}
          filteringAccessibilityLabel="Search and filter subscribers"
        />
        <IndexTable
          resourceName={{ singular: "subscriber", plural: "subscribers" }}
          itemCount={list.rows.length}
          selectable={false}
          loading={loading}
          emptyState={
            <EmptySearchResult
              title="No subscribers match these filters"
              description={filtered ? "Try another band or segment, check the spelling of the search, or clear the filters." : EMPTY_VIEW[q.view]}
              withIllustration
            />
          }
          headings={[
            { title: "Subscriber" },
            { title: "Health" },
            { title: "Change since last week", alignment: "end" },
            { title: "Segment" },
            { title: "Status" },
            { title: "Monthly value", alignment: "end" },
            { title: "Next billing" },
          ]}
        >
          {list.rows.map((row, i) => (
            <SubscriberRow key={row.id} row={row} index={i} timeZone={list.timeZone} onOpen={() => navigate(`/app/subscribers/${row.id}`)} />
          ))}
        </IndexTable>
        {list.total > 0 ? (
          <Box padding="300" borderBlockStartWidth="025" borderColor="border">
            <InlineStack align="space-between" blockAlign="center">
              <Text as="p" tone="subdued">
                {`${formatCount(first)}–${formatCount(last)} of ${formatCount(list.total)} ${list.total === 1 ? "subscriber" : "subscribers"}`}
              </Text>
              <Pagination
                label={`Page ${formatCount(list.page)} of ${formatCount(list.pageCount)}`}
                hasPrevious={list.hasPrevious}
                hasNext={list.hasNext}
                onPrevious={() => update({ page: list.page > 2 ? String(list.page - 1) : null })}
                onNext={() => update({ page: String(list.page + 1) })}
                accessibilityLabels={{ previous: "Previous page of subscribers", next: "Next page of subscribers" }}
              />
            </InlineStack>
          </Box>
        ) : null}
      </Card>
    </Page>
  );
}
