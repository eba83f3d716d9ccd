import type http from "node:http";
import type https from "node:https";

/**
 * Stops a server the way a load balancer expects: no new connections, idle keep-alive connections
 * closed at once, requests in flight allowed to finish for up to `graceMs`, then whatever is left
 * is cut. Resolves with whether everything finished in time.
 */
export function closeGracefully(server: http.Server | https.Server, graceMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve(true);
      return;
    }
    let cut = false;
    // A keep-alive connection that just finished a request is idle again: close those as they appear.
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    const deadline = setTimeout(() => {
      cut = true;
      server.closeAllConnections();
    }, graceMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve(!cut);
    });
    server.closeIdleConnections();
  });
}
