import type { HeadersFunction, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useLocation, useMatches, useNavigation, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu, TitleBar } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { authenticate } from "../shopify.server";
import { demoModeFor } from "../demo/mode.server";
import { DemoBanner } from "../pages/shared/DemoBanner";
import { PageSkeleton } from "../pages/shared/PageSkeleton";
import { pageNameOf } from "../pages/shared/page-title";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  const demo = demoModeFor(request).enabled;
  return { apiKey: process.env.SHOPIFY_API_KEY || "", demo };
};

export default function App() {
  const { apiKey, demo } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const location = useLocation();
  const pageName = pageNameOf(useMatches());
  // Another page is loading: show its outline rather than the page being left.
  const nextPath = navigation.state === "loading" ? navigation.location.pathname : null;
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} {...(demo ? { __APP_BRIDGE_URL: "/demo/app-bridge.js" } : {})}>
      <NavMenu>
        <Link to="/app" rel="home">
          Home
        </Link>
        <Link to="/app/at-risk">At-risk this week</Link>
        <Link to="/app/subscribers">Subscribers</Link>
        <Link to="/app/tasks">Tasks</Link>
        <Link to="/app/playbook">Playbook</Link>
        <Link to="/app/reports">Reports</Link>
        <Link to="/app/settings">Settings</Link>
      </NavMenu>
      {pageName ? <TitleBar title={pageName} /> : null}
      {demo ? <DemoBanner /> : null}
      {nextPath && nextPath !== location.pathname ? <PageSkeleton pathname={nextPath} /> : <Outlet />}
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses, so that their headers are included.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
