import { readFileSync, statSync } from "node:fs";
import path from "node:path";

/** dist/route-preloads.json, written by the build (web/vite.config.ts, routePreloads). */
interface RoutePreloads {
  base: string;
  routes: Record<string, { modules: string[]; css: string[] }>;
}

/**
 * The route name of a panel path, as the SPA's router names it (web/src/router/routes.ts, matchRoute; the
 * server cannot import the panel's code). A path it does not know gets no preloads, which only costs speed.
 */
export function adminRouteName(pathname: string): string | null {
  const p = pathname.replace(/\/+$/, "") || "/";
  const pages: Record<string, string> = {
    "/admin": "home",
    "/admin/settings": "settings",
    "/admin/payments": "payments",
    "/admin/refunds": "refunds",
    "/admin/reconciliation": "reconciliation",
    "/admin/settlements": "settlements",
    "/admin/dead-letters": "deadLetters",
  };
  if (pages[p]) return pages[p];
  return /^\/admin\/payments\/[^/]+$/.test(p) ? "payment" : null;
}

const SAFE_FILE = /^[A-Za-z0-9._/-]+$/;

/**
 * index.html for one route, with the route's page chunk (and what it imports, and its CSS) named in the head as
 * `modulepreload` / `stylesheet` links: the browser fetches the page's code in parallel with the entry rather than
 * after the entry has run, so the first load is index.html, then code, then data (never a chain of four).
 * Both files are read again when they change (a rebuild while the server runs).
 */
export function routeIndexHtml(distDir: string): (pathname: string) => string {
  let cached: { key: string; html: string; preloads: RoutePreloads | null } | null = null;
  const load = () => {
    const indexFile = path.join(distDir, "index.html");
    const preloadFile = path.join(distDir, "route-preloads.json");
    const stamp = (file: string) => {
      try {
        return String(statSync(file).mtimeMs);
      } catch {
        return "-";
      }
    };
    const key = `${stamp(indexFile)}|${stamp(preloadFile)}`;
    if (cached?.key === key) return cached;
    let preloads: RoutePreloads | null = null;
    try {
      preloads = JSON.parse(readFileSync(preloadFile, "utf8")) as RoutePreloads;
    } catch {
      preloads = null; // an older build without the file: the page still works, one request later
    }
    cached = { key, html: readFileSync(indexFile, "utf8"), preloads };
    return cached;
  };
  return (pathname) => {
    const { html, preloads } = load();
    const route = adminRouteName(pathname);
    const entry = route && preloads ? preloads.routes[route] : undefined;
    if (!entry || !preloads) return html;
    const href = (file: string) => `${preloads.base}${file}`;
    const links = [
      ...entry.css.filter((f) => SAFE_FILE.test(f)).map((f) => `<link rel="stylesheet" crossorigin href="${href(f)}">`),
      ...entry.modules.filter((f) => SAFE_FILE.test(f)).map((f) => `<link rel="modulepreload" crossorigin href="${href(f)}">`),
    ].join("\n    ");
    return links ? html.replace("</head>", `    ${links}\n  </head>`) : html;
  };
}
