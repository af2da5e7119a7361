// /app/at-risk.csv: the weekly at-risk list as a spreadsheet, every row, same ranking and columns.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { atRiskCsv } from "../pages/at-risk/csv";
import { parseAtRiskQuery, weeklyAtRisk } from "../pages/at-risk/week-list.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const list = await weeklyAtRisk(session.shop, { ...parseAtRiskQuery(new URL(request.url).searchParams), all: true });
  const store = session.shop.replace(/\.myshopify\.com$/, "");
  const suffix = list.view === "review" ? "" : `-${list.view}`;
  return new Response(atRiskCsv(list.rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="at-risk-${store}-${list.week.key}${suffix}.csv"`,
      "Cache-Control": "no-store",
    },
  });
};
