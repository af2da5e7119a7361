import { SUBSCRIPTION_CONTRACT_FIELDS, type SubscriptionContractNode } from "./SubscriptionContractFields";

/** Pages through every contract of the shop, oldest first, for the install backfill. */
export const SUBSCRIPTION_CONTRACTS_BACKFILL = `#graphql
  query SubscriptionContractsBackfill($first: Int!, $after: String) {
    subscriptionContracts(first: $first, after: $after, sortKey: CREATED_AT) {
      nodes {
        ...SubscriptionContractFields
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
  ${SUBSCRIPTION_CONTRACT_FIELDS}
`;

export interface SubscriptionContractsBackfillVariables {
  first: number;
  after: string | null;
}

export interface SubscriptionContractsBackfillData {
  subscriptionContracts: {
    nodes: SubscriptionContractNode[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}
