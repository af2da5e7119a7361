/** The simulated store as Shopify Flow would report it to Lifeline's action. */
export { FLOW_ACTION_TITLE, flowActionRequestsFor, flowRequestsForSubscriber, type FlowActionBody, type FlowActionRequest } from "./requests";
export { signFlowRequest } from "./sign";
