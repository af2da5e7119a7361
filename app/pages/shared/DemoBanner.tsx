import { Banner } from "@shopify/polaris";
import { DEMO_BANNER } from "../../demo/constants";

/** Shown on every page in local demo mode, so nobody mistakes the demo store for a real one. */
export function DemoBanner() {
  return (
    // The width and gutters of a Polaris Page, so the banner lines up with the page below it.
    <div style={{ maxWidth: "62.375rem", margin: "0 auto", padding: "var(--p-space-400) var(--p-space-400) 0" }}>
      <Banner tone="warning" title={DEMO_BANNER}>
        <p>These pages show the simulated demo store from this machine's database. Nothing here reaches a real Shopify store.</p>
      </Banner>
    </div>
  );
}
