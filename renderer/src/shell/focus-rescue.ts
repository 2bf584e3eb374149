// Where keyboard focus goes when the control that held it disappears.
//
// Answer is replaced by the call screen, End call by the wrap-up, Complete by
// the waiting panel: each time the focused button leaves the page (or is
// hidden or disabled), the browser puts focus on the page body, and a
// keyboard or screen-reader user has to start again from the top. One
// listener for the whole desk mends that: focus moves to the first visible
// element marked `data-focus-home` (the heading of what replaced the control).
// Focus that leaves for a reason (a click on the page, another window) is left
// alone: only a control that vanished is rescued.

/** Marks an element as a place focus may land when the control that had it vanished. */
export const focusHome = { 'data-focus-home': '', tabIndex: -1 } as const;

/** Shown on screen: not `hidden`, not in a hidden or `display: none` ancestor. */
function visible(element: HTMLElement): boolean {
  return element.getClientRects().length > 0;
}

function vanished(element: Element): boolean {
  if (!element.isConnected) return true;
  if (element instanceof HTMLElement && !visible(element)) return true;
  return element.matches(':disabled');
}

/**
 * Starts watching `document` and returns the function that stops it. Browsers
 * fire no blur when a focused element is removed, so the page is watched for
 * changes instead: after each, if focus is on the body and the element that
 * last had it has vanished, focus goes home. `schedule` runs that check once
 * the page has settled (the next frame, so what replaced the control is there).
 */
export function installFocusRescue(
  document: Document,
  schedule: (check: () => void) => void = (check) => requestAnimationFrame(check),
): () => void {
  let last: Element | null = null;
  let pending = false;
  const check = () => {
    pending = false;
    const now = document.activeElement;
    if (!last || (now && now !== document.body) || !vanished(last)) return;
    // Answer is disabled while the call is being answered, and its
    // replacement comes a moment later: until a home is on screen, keep
    // waiting for the next change.
    const home = [...document.querySelectorAll<HTMLElement>('[data-focus-home]')].find(visible);
    if (!home) return;
    last = null;
    home.focus();
  };
  const soon = () => {
    if (pending || !last) return;
    pending = true;
    schedule(check);
  };
  const onFocusIn = (event: FocusEvent) => {
    if (event.target instanceof Element) last = event.target;
  };
  document.addEventListener('focusin', onFocusIn);
  // A control disabled while focused does lose focus with an event.
  document.addEventListener('focusout', soon);
  const observer = new MutationObserver(soon);
  observer.observe(document.documentElement, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['hidden', 'disabled', 'class', 'style'],
  });
  return () => {
    observer.disconnect();
    document.removeEventListener('focusin', onFocusIn);
    document.removeEventListener('focusout', soon);
  };
}
