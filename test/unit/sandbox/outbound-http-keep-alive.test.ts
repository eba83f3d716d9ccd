import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createOutboundAgents, postOutbound } from "../../../app/sandbox/shopify/outbound-http";

/**
 * The simulator's kept-alive connections to the app close before the app's server closes them (its Keep-Alive
 * hint), so a session request is never written on a connection the server is closing (ECONNRESET, "socket hang
 * up": seen in the database-outage chaos scenario). Without an agent timeout, Node keeps idle sockets forever and
 * ignores the hint.
 */
describe("the simulator's outbound keep-alive", () => {
  let server: http.Server;
  let url = "";
  const closedAt: number[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => res.end("{}"));
    });
    // Announced as `Keep-Alive: timeout=2`: a client must be done with an idle connection before 2 s.
    server.keepAliveTimeout = 2_000;
    server.on("connection", (socket: Socket) => socket.on("close", () => closedAt.push(Date.now())));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("closes an idle connection itself, before the server's announced keep-alive timeout", async () => {
    const agents = createOutboundAgents();
    try {
      const answered = await postOutbound(agents, { url, headers: {}, body: "{}", timeoutMs: 5_000 });
      expect(answered.ok).toBe(true);
      const idleSince = Date.now();
      // The server would close it at 2 s; the client closes it 1 s before the hint (at 1 s).
      await new Promise((resolve) => setTimeout(resolve, 1_600));
      expect(closedAt.length).toBe(1);
      expect((closedAt[0] ?? 0) - idleSince).toBeLessThan(1_600);
      // And the next request simply opens a new connection.
      expect((await postOutbound(agents, { url, headers: {}, body: "{}", timeoutMs: 5_000 })).ok).toBe(true);
    } finally {
      agents.destroy();
    }
  });
});
