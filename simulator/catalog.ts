/**
 * The simulated shop's world: a coffee-and-pantry subscription store's products,
 * customers' names, currencies and the words Shopify and helpdesks use.
 */
import type { Rng } from "./random";
import type { SimLine } from "./types";

export const FIRST_NAMES = [
  "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella", "Lucas",
  "Mia", "Mateo", "Amelia", "Benjamin", "Harper", "Henry", "Evelyn", "Theo", "Aria", "Jack",
  "Chloe", "Owen", "Priya", "Arjun", "Mei", "Hiroshi", "Fatima", "Omar", "Zoe", "Diego",
  "Grace", "Samuel", "Nora", "Leo", "Hannah", "Isaac", "Layla", "Caleb", "Ruby", "Kofi",
] as const;

export const LAST_NAMES = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
  "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee",
  "Thompson", "White", "Harris", "Clark", "Lewis", "Walker", "Young", "Allen", "King", "Wright",
  "Patel", "Nguyen", "Kim", "Chen", "Okafor", "Murphy", "Rossi", "Schmidt", "Dubois", "Silva",
] as const;

/** Products sold on subscription; USD price range per delivery for one unit. */
const PRODUCTS: readonly { title: string; variants: readonly (string | null)[]; min: number; max: number }[] = [
  { title: "Signature Espresso Blend", variants: ["12 oz / Whole Bean", "12 oz / Ground", "2 lb / Whole Bean"], min: 18, max: 38 },
  { title: "Single Origin Rotation", variants: ["12 oz / Whole Bean", "12 oz / Ground"], min: 22, max: 34 },
  { title: "Swiss Water Decaf", variants: ["12 oz / Ground"], min: 18, max: 26 },
  { title: "Cold Brew Concentrate", variants: ["4-pack", "8-pack"], min: 28, max: 52 },
  { title: "Ceremonial Matcha", variants: ["30 g tin", "100 g tin"], min: 26, max: 65 },
  { title: "Loose Leaf Tea Sampler", variants: [null], min: 24, max: 40 },
  { title: "Breakfast Granola Box", variants: ["Original", "Nut-free"], min: 20, max: 36 },
  { title: "Protein Snack Box", variants: ["12 bars", "24 bars"], min: 30, max: 65 },
];

/** Rough FX from USD, so foreign presentment prices look like the same products. */
export const FX_FROM_USD: Record<string, number> = { USD: 1, CAD: 1.36, GBP: 0.79, EUR: 0.92, AUD: 1.52 };

/** Retail-looking price: whole units or .95, never 37.4231. */
export function retailPrice(rng: Rng, amount: number): number {
  const whole = Math.max(1, Math.round(amount));
  return rng.chance(0.5) ? whole - 0.05 : whole;
}

export function drawLine(rng: Rng, currency: string, shopCurrency: string): SimLine {
  const product = rng.pick(PRODUCTS);
  const fx = FX_FROM_USD[currency] ?? FX_FROM_USD[shopCurrency] ?? 1;
  return {
    id: `gid://shopify/SubscriptionLine/${rng.uuid()}`,
    title: product.title,
    variantTitle: rng.pick(product.variants),
    quantity: rng.chance(0.2) ? 2 : 1,
    price: retailPrice(rng, rng.uniform(product.min, product.max) * fx),
  };
}

export const CARD_BRANDS: readonly (readonly [string, number])[] = [
  ["Visa", 0.52], ["Mastercard", 0.3], ["American Express", 0.12], ["Discover", 0.06],
];

/** Messages as gateways phrase them; the code is what the app should rely on. */
export const ERROR_MESSAGES: Record<string, string> = {
  INSUFFICIENT_FUNDS: "Insufficient funds.",
  PAYMENT_METHOD_DECLINED: "Payment method was declined by processor.",
  EXPIRED_PAYMENT_METHOD: "Payment method has expired.",
  INVALID_PAYMENT_METHOD: "Payment method is invalid.",
  CARD_NUMBER_INCORRECT: "Card number is incorrect.",
  INSUFFICIENT_INVENTORY: "Insufficient inventory.",
  AUTHENTICATION_ERROR: "Customer authentication failed.",
  SOME_NEW_CODE: "Billing attempt could not be completed.",
};

export const TICKET_SUBJECTS = [
  "Box arrived damaged",
  "Order arrived late",
  "Wrong grind in my bag",
  "Missing item in my box",
  "Coffee tasted stale",
  "Charged twice?",
] as const;
