import { type ReactNode, useCallback, useMemo } from "react";
import { BrowserRouter, useLocation, useNavigate } from "react-router";

/**
 * The panel's routing is react-router's (declarative mode: BrowserRouter, useRoutes in app/page-outlet.tsx, the
 * route table in routes.ts). `useRouter` keeps the small API the pages were written against: the current
 * location and a `navigate` that ignores a move to where the panel already is and starts a new page at the top.
 */

export interface Location {
  pathname: string;
  search: string;
  hash: string;
}

interface RouterValue {
  location: Location;
  navigate(to: string, options?: { replace?: boolean }): void;
}

/** No transitions: a page change shows the new page (or its skeleton) at once, as the panel always did. */
export function RouterProvider({ children }: { children: ReactNode }) {
  return <BrowserRouter useTransitions={false}>{children}</BrowserRouter>;
}

export function useRouter(): RouterValue {
  const { pathname, search, hash } = useLocation();
  const go = useNavigate();
  const location = useMemo(() => ({ pathname, search, hash }), [pathname, search, hash]);

  const navigate = useCallback(
    (to: string, options: { replace?: boolean } = {}) => {
      const url = new URL(to, window.location.href);
      const next = `${url.pathname}${url.search}${url.hash}`;
      const samePage = url.pathname === window.location.pathname;
      if (next === `${window.location.pathname}${window.location.search}${window.location.hash}`) return;
      void go(next, { replace: options.replace === true });
      // A new page starts at the top; a filter change on the same page keeps the scroll position.
      if (!samePage) window.scrollTo(0, 0);
    },
    [go],
  );

  return useMemo(() => ({ location, navigate }), [location, navigate]);
}
