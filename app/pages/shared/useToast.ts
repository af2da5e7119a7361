import { useEffect, useRef } from "react";
import { useAppBridge } from "@shopify/app-bridge-react";

/** Shows each new message once as an App Bridge toast (the Shopify admin draws it), with an optional action such as Undo. */
export function useToast(
  message: string | null | undefined,
  options: { isError?: boolean; key?: unknown; action?: { content: string; onAction: () => void } } = {},
) {
  const shopify = useAppBridge();
  const shown = useRef<unknown>(null);
  const action = useRef(options.action);
  action.current = options.action;
  const actionLabel = options.action?.content;
  useEffect(() => {
    if (!message || shown.current === options.key) return;
    shown.current = options.key;
    shopify.toast.show(message, {
      isError: options.isError,
      duration: actionLabel ? 8000 : 4000,
      ...(actionLabel ? { action: actionLabel, onAction: () => action.current?.onAction() } : {}),
    });
  }, [message, options.key, options.isError, actionLabel, shopify]);
}
