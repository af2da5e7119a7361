import { useEffect, useRef } from "react";
import { useAppBridge } from "@shopify/app-bridge-react";

/** Shows each new message once as an App Bridge toast (the Shopify admin draws it). */
export function useToast(message: string | null | undefined, options: { isError?: boolean; key?: unknown } = {}) {
  const shopify = useAppBridge();
  const shown = useRef<unknown>(null);
  useEffect(() => {
    if (!message || shown.current === options.key) return;
    shown.current = options.key;
    shopify.toast.show(message, { isError: options.isError, duration: 4000 });
  }, [message, options.key, options.isError, shopify]);
}
