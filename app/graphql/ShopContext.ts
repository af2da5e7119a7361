/**
 * The shop's own terms: the currency it sells in, its time zone (IANA, e.g. "Europe/Paris")
 * and the store owner's email. Read at install; shop/update keeps them current.
 */
export const SHOP_CONTEXT = `#graphql
  query ShopContext {
    shop {
      currencyCode
      ianaTimezone
      email
    }
  }
`;

export interface ShopContextNode {
  currencyCode: string;
  ianaTimezone: string;
  email: string | null;
}

export interface ShopContextData {
  shop: ShopContextNode;
}
