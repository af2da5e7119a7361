/**
 * Who a customer is: what Lifeline shows for a subscriber whose events name only the
 * customer id (Shopify Flow, a subscription app's webhook without the customer's details).
 * Name and email are protected customer data (level 2). `email` is deprecated since
 * 2025-04 in favour of `defaultEmailAddress`.
 */
export const CUSTOMER_IDENTITY = `#graphql
  query CustomerIdentity($id: ID!) {
    customer(id: $id) {
      id
      firstName
      lastName
      displayName
      defaultEmailAddress {
        emailAddress
      }
    }
  }
`;

export interface CustomerIdentityVariables {
  id: string;
}

export interface CustomerIdentityNode {
  id: string;
  firstName: string | null;
  lastName: string | null;
  displayName: string | null;
  defaultEmailAddress: { emailAddress: string | null } | null;
}

export interface CustomerIdentityData {
  customer: CustomerIdentityNode | null;
}
