import type { BuyerPageReader, BuyerPageRecord } from "../../ports/buyer-page-reader";
import type { Db } from "./database";
import { toSession } from "./prisma-payment-store";

/** The buyer page's read through Prisma: the session and its shop's name in one call. */
export class PrismaBuyerPageReader implements BuyerPageReader {
  constructor(private readonly db: Db) {}

  async findByBuyerToken(token: string): Promise<BuyerPageRecord | null> {
    const row = await this.db.paymentSession.findUnique({
      where: { buyerToken: token },
      include: { shop: { select: { name: true, domain: true } } },
    });
    if (!row) return null;
    const { shop, ...session } = row;
    return { session: toSession(session), shopName: shop.name, shopDomain: shop.domain };
  }
}
