import type { Result } from "../lib/result";
import type { ShopifyTarget } from "./shopify-payments-apps";

export interface ShopProfile {
  name: string;
  timezone: string | null;
}

export interface ShopProfileError {
  kind: "unavailable";
  message: string;
}

export interface ShopProfileReader {
  read(target: ShopifyTarget): Promise<Result<ShopProfile, ShopProfileError>>;
}
