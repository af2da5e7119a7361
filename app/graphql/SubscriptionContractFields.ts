/** The contract facts Lifeline keeps: lines and prices (monthly value), customer, dates, card. */
export const SUBSCRIPTION_CONTRACT_FIELDS = `#graphql
  fragment SubscriptionContractFields on SubscriptionContract {
    id
    status
    createdAt
    updatedAt
    nextBillingDate
    currencyCode
    customer {
      id
      email
      firstName
      lastName
      displayName
    }
    billingPolicy {
      interval
      intervalCount
    }
    deliveryPolicy {
      interval
      intervalCount
    }
    lines(first: 50) {
      nodes {
        id
        title
        variantTitle
        quantity
        currentPrice {
          amount
          currencyCode
        }
      }
    }
    customerPaymentMethod {
      id
      instrument {
        __typename
        ... on CustomerCreditCard {
          brand
          lastDigits
          expiryMonth
          expiryYear
        }
      }
    }
  }
`;

export type SellingPlanInterval = "DAY" | "WEEK" | "MONTH" | "YEAR";

export interface SubscriptionContractNode {
  id: string;
  status: "ACTIVE" | "PAUSED" | "CANCELLED" | "EXPIRED" | "FAILED" | "STALE";
  createdAt: string;
  updatedAt: string;
  nextBillingDate: string | null;
  currencyCode: string;
  customer: {
    id: string;
    email: string | null;
    firstName: string | null;
    lastName: string | null;
    displayName: string;
  } | null;
  billingPolicy: { interval: SellingPlanInterval; intervalCount: number };
  deliveryPolicy: { interval: SellingPlanInterval; intervalCount: number };
  lines: {
    nodes: Array<{
      id: string;
      title: string;
      variantTitle: string | null;
      quantity: number;
      currentPrice: { amount: string; currencyCode: string };
    }>;
  };
  customerPaymentMethod: {
    id: string;
    instrument:
      | { __typename: "CustomerCreditCard"; brand: string; lastDigits: string; expiryMonth: number; expiryYear: number }
      | { __typename: string }
      | null;
  } | null;
}
