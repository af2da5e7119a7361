import type { SubscriptionContractNode } from "~/graphql/SubscriptionContractFields";

export interface ContractSpec {
  id: string;
  customerId: string;
  status?: SubscriptionContractNode["status"];
  lines?: Array<{ title: string; price: number; quantity?: number }>;
  deliveryInterval?: "WEEK" | "MONTH";
  deliveryIntervalCount?: number;
  createdAt?: string;
  updatedAt?: string;
  nextBillingDate?: string | null;
  email?: string;
  firstName?: string;
  lastName?: string;
  card?: { expiryMonth: number; expiryYear: number } | null;
}

/** A SubscriptionContract node shaped like the Admin API's answer to SubscriptionContractFields. */
export function contractNode(spec: ContractSpec): SubscriptionContractNode {
  const lines = spec.lines ?? [{ title: "Morning Roast", price: 24 }];
  const first = spec.firstName ?? "Ada";
  const last = spec.lastName ?? "Lovelace";
  return {
    id: `gid://shopify/SubscriptionContract/${spec.id}`,
    status: spec.status ?? "ACTIVE",
    createdAt: spec.createdAt ?? "2026-01-05T10:00:00Z",
    updatedAt: spec.updatedAt ?? spec.createdAt ?? "2026-01-05T10:00:00Z",
    nextBillingDate: spec.nextBillingDate === undefined ? "2026-12-05T10:00:00Z" : spec.nextBillingDate,
    currencyCode: "USD",
    customer: {
      id: `gid://shopify/Customer/${spec.customerId}`,
      email: spec.email ?? `customer${spec.customerId}@example.com`,
      firstName: first,
      lastName: last,
      displayName: `${first} ${last}`,
    },
    billingPolicy: { interval: spec.deliveryInterval ?? "MONTH", intervalCount: spec.deliveryIntervalCount ?? 1 },
    deliveryPolicy: { interval: spec.deliveryInterval ?? "MONTH", intervalCount: spec.deliveryIntervalCount ?? 1 },
    lines: {
      nodes: lines.map((l, i) => ({
        id: `gid://shopify/SubscriptionLine/${spec.id}-${i}`,
        title: l.title,
        variantTitle: null,
        quantity: l.quantity ?? 1,
        currentPrice: { amount: l.price.toFixed(2), currencyCode: "USD" },
      })),
    },
    customerPaymentMethod:
      spec.card === null
        ? null
        : {
            id: `gid://shopify/CustomerPaymentMethod/${spec.customerId}`,
            instrument: { __typename: "CustomerCreditCard", brand: "visa", lastDigits: "4242", ...(spec.card ?? { expiryMonth: 8, expiryYear: 2030 }) },
          },
  };
}
