import type { AppProviderProps } from "@shopify/polaris";
import type { ComponentProps, MouseEvent } from "react";

import { useRouter } from "./router";
import { isPanelPath } from "./routes";

/**
 * Polaris' link component (AppProvider `linkComponent`): links to panel pages change the page without
 * reloading; anything else (downloads, /auth, external sites, new tabs) stays a normal link.
 */
type LinkLikeComponentProps = ComponentProps<NonNullable<AppProviderProps["linkComponent"]>>;

export function RouterLink({ url, children, external, target, download, ...rest }: LinkLikeComponentProps) {
  const { navigate } = useRouter();
  const opensElsewhere = external === true || (target !== undefined && target !== "_self") || download !== undefined;

  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    rest.onClick?.(event);
    if (event.defaultPrevented || opensElsewhere) return;
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const destination = new URL(url, window.location.href);
    if (destination.origin !== window.location.origin || !isPanelPath(destination.pathname)) return;
    event.preventDefault();
    navigate(`${destination.pathname}${destination.search}${destination.hash}`);
  };

  return (
    <a
      {...rest}
      href={url}
      onClick={onClick}
      {...(external ? { target: "_blank", rel: "noopener noreferrer" } : target ? { target } : {})}
      {...(download === undefined ? {} : { download })}
    >
      {children}
    </a>
  );
}
