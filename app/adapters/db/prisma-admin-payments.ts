import type { Prisma } from "../../../prisma/generated/sqlite/client";
import type { DatabaseEngine } from "../../config/env";
import type { AdminPaymentsReader, PaymentDetailRecord, PaymentListFilter, PaymentListRow, PaymentOrder } from "../../ports/admin-read-models";
import type { Db } from "./database";
import { searchClause, type SearchMode, type SearchReader,searchReader } from "./payment-search-sql";
import type { SqlDriver, SqlRow, SqlValue } from "./sql/sql-driver";
import { bool, date, dateOrNull } from "./sql/sql-rows";

/**
 * The admin panel's payment queries: filtered, sorted and paged in the database, always scoped to
 * one shop. Reads only; every change goes through a use case.
 */

const LIST_SELECT = {
  id: true,
  createdAt: true,
  state: true,
  amountMinor: true,
  currency: true,
  test: true,
  cip: true,
  orderName: true,
  email: true,
  paidAt: true,
  cipExpiresAt: true,
} as const;

/** Characters LIKE treats as wildcards (and PostgreSQL's LIKE escape character). Such a search lists at most 5000 payments. */
const LIKE_SPECIAL = /[%_\\]/;
/** The admin list counts its total up to the next multiple of this past the page (see list). */
const TOTAL_COUNT_STEP = 1_000;

const SQL_LIST_COLUMNS = `"id", "createdAt", "state", "amountMinor", "currency", "test", "cip", "orderName", "email", "paidAt", "cipExpiresAt"`;

/** Bounds each part of one payment's timeline; a session never legitimately has more. */
const TIMELINE_LIMIT = 500;



export class PrismaAdminPayments implements AdminPaymentsReader {
  constructor(
    private readonly db: Db,
    private readonly engine: DatabaseEngine,
    /** The driver under Prisma for the list's reads; without it (tests of the Prisma path) Prisma runs them. */
    private readonly driver: SqlDriver | null = null,
  ) {}

  /**
   * One page and its total, in two prepared statements on the driver under Prisma (docs: Prisma's per-query
   * cost was most of a request's CPU). The total is counted only up to a bound (the next multiple of 1,000
   * past the page): counting a million-payment shop's rows on every page view cost seconds; `totalIsLowerBound`
   * says the shop has at least that many, and paging forward still works. A search of three characters or
   * more is served by a trigram index (FTS5 on SQLite, pg_trgm on PostgreSQL; see matchSearch).
   */
  async list(
    shopId: string,
    filter: PaymentListFilter,
    order: PaymentOrder,
    page: { skip: number; take: number },
  ): Promise<{ items: PaymentListRow[]; total: number; totalIsLowerBound: boolean }> {
    if (!this.driver) return this.listWithPrisma(shopId, filter, order, page);
    const bound = Math.ceil((page.skip + page.take + 1) / TOTAL_COUNT_STEP) * TOTAL_COUNT_STEP;
    if (filter.q) {
      const { reader, search } = await searchReader(this.engine, this.driver, filter.q);
      const { sql: where, params } = this.sqlWhere(shopId, filter, search);
      return this.searchPage(reader, where, params, order, page, bound);
    }
    const { sql: where, params } = this.sqlWhere(shopId, filter, "like");
    const [rows, counted] = await Promise.all([
      this.driver.all(`SELECT ${SQL_LIST_COLUMNS} FROM "PaymentSession" WHERE ${where} ORDER BY ${sqlOrder(order)} LIMIT ? OFFSET ?`, [...params, page.take, page.skip]),
      this.driver.get(`SELECT COUNT(*) AS "n" FROM (SELECT 1 FROM "PaymentSession" WHERE ${where} LIMIT ?) AS "bounded"`, [...params, bound]),
    ]);
    const total = Number(counted?.n ?? 0);
    return { items: rows.map(listRowFrom), total, totalIsLowerBound: total >= bound };
  }

  /** A search goes through its index (or scan) once, not twice: the ids of up to `bound` matches in order, then the page's rows. */
  private async searchPage(driver: SearchReader, where: string, params: SqlValue[], order: PaymentOrder, page: { skip: number; take: number }, bound: number) {
    const ids = (await driver.all(`SELECT "id" FROM "PaymentSession" WHERE ${where} ORDER BY ${sqlOrder(order)} LIMIT ?`, [...params, bound])).map((r) => String(r.id));
    const pageIds = ids.slice(page.skip, page.skip + page.take);
    const rows = pageIds.length === 0 ? [] : await driver.all(`SELECT ${SQL_LIST_COLUMNS} FROM "PaymentSession" WHERE "id" IN (${pageIds.map(() => "?").join(", ")})`, pageIds);
    const byId = new Map(rows.map((row) => [String(row.id), listRowFrom(row)]));
    return { items: pageIds.flatMap((id) => byId.get(id) ?? []), total: ids.length, totalIsLowerBound: ids.length >= bound };
  }

  private async listWithPrisma(
    shopId: string,
    filter: PaymentListFilter,
    order: PaymentOrder,
    page: { skip: number; take: number },
  ): Promise<{ items: PaymentListRow[]; total: number; totalIsLowerBound: boolean }> {
    const where = await this.where(shopId, filter);
    const bound = Math.ceil((page.skip + page.take + 1) / TOTAL_COUNT_STEP) * TOTAL_COUNT_STEP;
    const [items, total] = await Promise.all([
      this.db.paymentSession.findMany({ where, orderBy: orderBy(order), skip: page.skip, take: page.take, select: LIST_SELECT }),
      this.db.paymentSession.count({ where, take: bound }),
    ]);
    return { items, total, totalIsLowerBound: total >= bound };
  }

  /** The list's WHERE clause (`?` placeholders) for the driver. */
  private sqlWhere(shopId: string, filter: PaymentListFilter, search: SearchMode): { sql: string; params: SqlValue[] } {
    const and = [`"shopId" = ?`];
    const params: SqlValue[] = [shopId];
    if (filter.states && filter.states.length > 0) {
      and.push(`"state" IN (${filter.states.map(() => "?").join(", ")})`);
      params.push(...filter.states);
    }
    if (filter.createdFrom) {
      and.push(`"createdAt" >= ?`);
      params.push(filter.createdFrom);
    }
    if (filter.createdBefore) {
      and.push(`"createdAt" < ?`);
      params.push(filter.createdBefore);
    }
    if (filter.currency) {
      and.push(`"currency" = ?`);
      params.push(filter.currency);
    }
    if (filter.test !== null) {
      and.push(`"test" = ?`);
      params.push(filter.test);
    }
    if (filter.q) {
      const clause = searchClause(this.engine, filter.q, search);
      and.push(clause.sql);
      params.push(...clause.params);
    }
    return { sql: and.join(" AND "), params };
  }

  /**
   * Every matching row, `pageSize` at a time, for the CSV export. Rows created after the export
   * started are left out, so new checkouts cannot shift the pages while they are read.
   */
  async *pages(shopId: string, filter: PaymentListFilter, order: PaymentOrder, startedAt: Date, pageSize = 500): AsyncGenerator<PaymentListRow[]> {
    const where: Prisma.PaymentSessionWhereInput = { AND: [await this.where(shopId, filter), { createdAt: { lte: startedAt } }] };
    for (let skip = 0; ; skip += pageSize) {
      const rows = await this.db.paymentSession.findMany({ where, orderBy: orderBy(order), skip, take: pageSize, select: LIST_SELECT });
      if (rows.length > 0) yield rows;
      if (rows.length < pageSize) return;
    }
  }

  async detail(shopId: string, id: string): Promise<PaymentDetailRecord | null> {
    const payment = await this.db.paymentSession.findFirst({ where: { id, shopId } });
    if (!payment) return null;
    const notificationMatch: Prisma.PagoEfectivoNotificationWhereInput[] = [{ paymentSessionId: id }];
    if (payment.cip) notificationMatch.push({ cip: payment.cip });
    const [events, notifications, attempts, refunds] = await Promise.all([
      this.db.paymentEvent.findMany({
        where: { paymentSessionId: id, shopId },
        orderBy: [{ at: "asc" }, { id: "asc" }],
        take: TIMELINE_LIMIT,
        select: { id: true, type: true, at: true, detailJson: true },
      }),
      this.db.pagoEfectivoNotification.findMany({
        where: { shopId, OR: notificationMatch },
        orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
        take: TIMELINE_LIMIT,
        // Never the raw body or headers: the panel shows what was checked, not the evidence bytes.
        select: {
          id: true,
          eventType: true,
          cip: true,
          operationNumber: true,
          signatureValid: true,
          verificationReason: true,
          outcome: true,
          receivedAt: true,
        },
      }),
      this.db.deliveryAttempt.findMany({
        where: { paymentSessionId: id, job: { shopId } },
        orderBy: [{ at: "asc" }, { id: "asc" }],
        take: TIMELINE_LIMIT,
        select: { id: true, at: true, outcome: true, detail: true, refundSessionId: true, job: { select: { kind: true } } },
      }),
      this.db.refundSession.findMany({ where: { paymentSessionId: id, shopId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
    ]);
    return {
      payment,
      events,
      notifications,
      attempts: attempts.map(({ job, ...attempt }) => ({ ...attempt, jobKind: job.kind })),
      refunds,
    };
  }

  private async where(shopId: string, filter: PaymentListFilter): Promise<Prisma.PaymentSessionWhereInput> {
    const and: Prisma.PaymentSessionWhereInput[] = [{ shopId }];
    if (filter.states && filter.states.length > 0) and.push({ state: { in: filter.states } });
    if (filter.createdFrom) and.push({ createdAt: { gte: filter.createdFrom } });
    if (filter.createdBefore) and.push({ createdAt: { lt: filter.createdBefore } });
    if (filter.currency) and.push({ currency: filter.currency });
    if (filter.test !== null) and.push({ test: filter.test });
    if (filter.q) {
      if (LIKE_SPECIAL.test(filter.q)) {
        and.push({ id: { in: await this.literalMatches(shopId, filter.q) } });
      } else {
        const contains = this.contains(filter.q);
        and.push({ OR: [{ cip: contains }, { orderName: contains }, { email: contains }, { id: contains }] });
      }
    }
    return { AND: and };
  }

  /**
   * Case-insensitive substring match, for searches without LIKE's special characters. SQLite's LIKE
   * already ignores ASCII case; PostgreSQL needs Prisma's `mode: "insensitive"` (ILIKE), which the SQLite
   * client's types do not declare.
   */
  private contains(q: string): { contains: string } {
    if (this.engine === "postgresql") return { contains: q, mode: "insensitive" } as { contains: string };
    return { contains: q };
  }

  /**
   * Prisma's `contains` is a LIKE whose value it does not escape, so "%" and "_" typed by the merchant
   * would be wildcards (issue #10; measured: "%" matched every payment on both engines, and on PostgreSQL a
   * backslash swallowed the next character). A search holding one of them finds its rows by plain
   * substring position instead (instr on SQLite, strpos on PostgreSQL), case-insensitive, bounded.
   */
  private async literalMatches(shopId: string, q: string): Promise<string[]> {
    const needle = q.toLowerCase();
    const rows =
      this.engine === "postgresql"
        ? await this.db.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "PaymentSession"
      WHERE "shopId" = ${shopId}
        AND (strpos(lower(coalesce("cip", '')), ${needle}) > 0
          OR strpos(lower(coalesce("orderName", '')), ${needle}) > 0
          OR strpos(lower(coalesce("email", '')), ${needle}) > 0
          OR strpos(lower("id"), ${needle}) > 0)
      LIMIT 5000`
        : await this.db.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "PaymentSession"
      WHERE "shopId" = ${shopId}
        AND (instr(lower(coalesce("cip", '')), ${needle}) > 0
          OR instr(lower(coalesce("orderName", '')), ${needle}) > 0
          OR instr(lower(coalesce("email", '')), ${needle}) > 0
          OR instr(lower("id"), ${needle}) > 0)
      LIMIT 5000`;
    return rows.map((row) => row.id);
  }
}

function sqlOrder(order: PaymentOrder): string {
  const direction = order.direction === "asc" ? "ASC" : "DESC";
  const primary = order.field === "amount" ? `"amountMinor"` : order.field === "state" ? `"state"` : `"createdAt"`;
  const ties = order.field === "createdAt" ? "" : `, "createdAt" DESC`;
  return `${primary} ${direction}${ties}, "id" ${direction}`;
}

function listRowFrom(row: SqlRow): PaymentListRow {
  return {
    id: String(row.id),
    createdAt: date(row.createdAt),
    state: String(row.state),
    amountMinor: Number(row.amountMinor),
    currency: String(row.currency),
    test: bool(row.test),
    cip: row.cip === null ? null : String(row.cip),
    orderName: row.orderName === null ? null : String(row.orderName),
    email: row.email === null ? null : String(row.email),
    paidAt: dateOrNull(row.paidAt),
    cipExpiresAt: dateOrNull(row.cipExpiresAt),
  };
}

function orderBy(order: PaymentOrder): Prisma.PaymentSessionOrderByWithRelationInput[] {
  const direction = order.direction;
  const primary: Prisma.PaymentSessionOrderByWithRelationInput =
    order.field === "amount" ? { amountMinor: direction } : order.field === "state" ? { state: direction } : { createdAt: direction };
  // Ties are broken by creation time and then id, so paging is stable.
  const ties: Prisma.PaymentSessionOrderByWithRelationInput[] = order.field === "createdAt" ? [] : [{ createdAt: "desc" }];
  return [primary, ...ties, { id: direction }];
}
