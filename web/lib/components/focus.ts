/**
 * Focus management for pages that change in place (WCAG 2.4.3): when a new step appears, its
 * heading takes the focus, so keyboard and screen-reader users continue from the new content. The
 * first content of a freshly loaded page is left alone (the reader starts at the top).
 */

/** Svelte action: focus this element (made focusable by script only) when mounted, if `enabled`. */
export function focusOnMount(node: HTMLElement, enabled = true): void {
  if (!node.hasAttribute('tabindex')) node.tabIndex = -1;
  if (enabled) node.focus();
}
