/** Starts the merchant's Shopify Flow workflows that begin with one of the app's triggers. */
export const FLOW_TRIGGER_RECEIVE = `#graphql
  mutation FlowTriggerReceive($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors {
        field
        message
      }
    }
  }
`;

export interface FlowTriggerReceiveVariables {
  handle: string;
  payload: Record<string, unknown>;
}

export interface FlowTriggerReceiveData {
  flowTriggerReceive: {
    userErrors: Array<{ field: string[] | null; message: string }>;
  } | null;
}
