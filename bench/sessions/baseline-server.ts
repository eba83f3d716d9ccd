import https from "node:https";
import type { TLSSocket } from "node:tls";

/**
 * The payment-session baseline (issue #13): a bare mutual-TLS server with the same certificates and
 * client-certificate policy as the app's listener, answering 201 with a redirect URL after reading and
 * parsing the body. What the machine can do for an mTLS request with no work behind it.
 * argv: <port>; env BENCH_TLS = JSON {cert, key, clientCa}
 */
const port = Number(process.argv[2]);
const tls = JSON.parse(process.env.BENCH_TLS ?? "{}") as { cert: string; key: string; clientCa: string };
const server = https.createServer({ cert: tls.cert, key: tls.key, ca: tls.clientCa, requestCert: true, rejectUnauthorized: false, minVersion: "TLSv1.2" }, (req, res) => {
  if (req.method === "GET") {
    res.end("ok");
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const socket = req.socket as TLSSocket;
    if (!socket.authorized) {
      res.writeHead(401).end();
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { id: string };
    res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ redirect_url: `http://127.0.0.1/pay/${body.id}` }));
  });
});
server.listen(port, "127.0.0.1");
process.on("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
