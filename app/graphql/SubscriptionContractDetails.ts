import { SUBSCRIPTION_CONTRACT_FIELDS, type SubscriptionContractNode } from "./SubscriptionContractFields";

export const SUBSCRIPTION_CONTRACT_DETAILS = `#graphql
  query SubscriptionContractDetails($id: ID!) {
    subscriptionContract(id: $id) {
      ...SubscriptionContractFields
    }
  }
  ${SUBSCRIPTION_CONTRACT_FIELDS}
`;

export interface SubscriptionContractDetailsVariables {
  id: string;
}

export interface SubscriptionContractDetailsData {
  subscriptionContract: SubscriptionContractNode | null;
}
