import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link as RemixLink, useLoaderData, useNavigate, useNavigation, useSearchParams } from "@remix-run/react";
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
import { listSubscribers, parseSubscriberQuery, type SubscriberListRow } from "../pages/subscribers/subscribers.server";
import {
  SORT_OPTIONS,
  STATUS_LABELS,
  SUBSCRIBER_STATUSES,
  TENURE_LABELS,
  VALUE_LABELS,
  segmentLabel,
  statusLabel,
} from "../pages/subscribers/subscribers-options";
import { BAND_LABELS, BAND_ORDER, BandBadge } from "../pages/shared/BandBadge";
import { formatCount, formatDate, formatMoney, signed } from "../pages/shared/format";
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

const FILTER_KEYS = ["band", "tenure", "value", "status", "trigger", "q"] as const;
const SEARCH_DELAY_MS = 300;

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
      key: "status",
      label: "Status",
      filter: (
        <ChoiceList
          title="Status"
          titleHidden
          choices={SUBSCRIBER_STATUSES.map((s) => ({ label: STATUS_LABELS[s], value: s }))}
          selected={q.status ? [q.status] : []}
          onChange={([v]) => update({ status: v })}
        />
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
  if (q.status) applied.push({ key: "status", label: `Status: ${statusLabel(q.status)}`, onRemove: () => update({ status: null }) });
  if (q.trigger) applied.push({ key: "trigger", label: `Had a play from: ${triggerName(q.trigger)}`, onRemove: () => update({ trigger: null }) });

  const clearAll = () => {
    sent.current = "";
    setSearch("");
    update(Object.fromEntries(FILTER_KEYS.map((k) => [k, null])));
  };

  if (list.total === 0 && !filtered) {
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
          tabs={[{ id: "all", content: "All subscribers" }]}
          selected={0}
          onSelect={() => undefined}
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
              description="Try another band, segment or status, check the spelling of the search, or clear the filters."
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

function SubscriberRow({ row, index, timeZone, onOpen }: { row: SubscriberListRow; index: number; timeZone: string; onOpen: () => void }) {
  return (
    <IndexTable.Row id={row.id} position={index} onClick={onOpen}>
      <IndexTable.Cell>
        <BlockStack gap="050">
          <RemixLink to={`/app/subscribers/${row.id}`} style={{ color: "inherit", textDecoration: "none" }} data-primary-link>
            <Text as="span" fontWeight="semibold">
              {row.name}
            </Text>
          </RemixLink>
          {row.email ? (
            <Text as="span" tone="subdued" variant="bodySm">
              {row.email}
            </Text>
          ) : null}
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <InlineStack gap="200" blockAlign="center" wrap={false}>
          <Text as="span" variant="headingMd" numeric>
            {row.score ?? "–"}
          </Text>
          {row.score == null && row.status === "cancelled" ? (
            <Text as="span" tone="subdued">
              Cancelled before scoring
            </Text>
          ) : (
            <BandBadge band={row.band} />
          )}
        </InlineStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric tone={row.change == null || row.change === 0 ? "subdued" : row.change < 0 ? "critical" : "success"}>
          {row.change == null ? "–" : row.change === 0 ? "No change" : signed(row.change)}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>{segmentLabel(row.segmentKey) || <Text as="span" tone="subdued">–</Text>}</IndexTable.Cell>
      <IndexTable.Cell>{statusLabel(row.status)}</IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {formatMoney(row.monthlyValue, row.currency)}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>{row.nextBillingAt ? formatDate(row.nextBillingAt, timeZone) : <Text as="span" tone="subdued">None scheduled</Text>}</IndexTable.Cell>
    </IndexTable.Row>
  );
}
