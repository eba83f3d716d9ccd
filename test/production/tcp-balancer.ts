import net from "node:net";

/**
 * A round-robin TCP load balancer for the two-instance test: each new connection goes to the next
 * backend, skipping one that refuses (a killed instance). TLS passes through untouched, so mutual
 * TLS still ends at the app, as behind a layer-4 load balancer in production.
 */
export interface TcpBalancer {
  port: number;
  /** Connections sent to each backend port. */
  counts: Map<number, number>;
  close(): Promise<void>;
}

export async function startTcpBalancer(backends: number[], host = "127.0.0.1"): Promise<TcpBalancer> {
  const counts = new Map(backends.map((p) => [p, 0]));
  const sockets = new Set<net.Socket>();
  let next = 0;
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.pause();
    const tryBackend = (triesLeft: number) => {
      const port = backends[next++ % backends.length] as number;
      const upstream = net.connect(port, host);
      let connected = false;
      upstream.once("connect", () => {
        connected = true;
        counts.set(port, (counts.get(port) ?? 0) + 1);
        sockets.add(upstream);
        upstream.on("close", () => sockets.delete(upstream));
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
        upstream.on("error", () => client.destroy());
        client.on("error", () => upstream.destroy());
      });
      upstream.once("error", () => {
        if (connected) return;
        if (triesLeft > 1) tryBackend(triesLeft - 1);
        else client.destroy();
      });
    };
    tryBackend(backends.length);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
