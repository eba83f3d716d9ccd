import net from "node:net";

import { freePort } from "./test-app";

/**
 * A TCP proxy in front of PostgreSQL that can be cut and restored: what "the database is unreachable" looks
 * like from the app (issue #10). `cut()` resets every open connection and stops listening, so new connections
 * are refused; `open()` listens again on the same port. `stall()` is a network that drops packets without a
 * reset: open connections stop forwarding either way and new ones are accepted but never forwarded (nothing
 * reaches the server, no answer comes back, no error either); `open()` then resets the stalled connections (as
 * TCP gives up on them in the end) and forwards again. The shared server itself is never stopped.
 */
export class CuttableProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private stalled = false;
  port = 0;
  /** Connections accepted since the proxy was created. */
  accepted = 0;
  constructor(private readonly target: { host: string; port: number }) {}

  /** A proxy for the server of a `postgresql://` URL. */
  static forUrl(url: string): CuttableProxy {
    const server = new URL(url);
    return new CuttableProxy({ host: server.hostname, port: Number(server.port || 5432) });
  }

  /** `url` with its host and port replaced by the proxy's. */
  through(url: string): string {
    const proxied = new URL(url);
    proxied.hostname = "127.0.0.1";
    proxied.port = String(this.port);
    return proxied.toString();
  }

  get isOpen(): boolean {
    return this.server !== null && !this.stalled;
  }

  async open(): Promise<void> {
    if (this.stalled) {
      this.stalled = false;
      for (const socket of this.sockets) socket.resetAndDestroy();
    }
    if (this.server) return;
    this.port ||= await freePort();
    const server = net.createServer((client) => {
      this.accepted += 1;
      if (this.stalled) {
        this.sockets.add(client);
        client.on("close", () => this.sockets.delete(client));
        client.on("error", () => undefined);
        return;
      }
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on("close", () => this.sockets.delete(socket));
        socket.on("error", () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.server = server;
  }

  /** Keeps accepting connections but forwards nothing, on open connections or new ones, until `open()`. */
  stall(): void {
    this.stalled = true;
    for (const socket of this.sockets) {
      socket.unpipe();
      socket.pause();
    }
  }

  async cut(): Promise<void> {
    this.stalled = false;
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.resetAndDestroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}
