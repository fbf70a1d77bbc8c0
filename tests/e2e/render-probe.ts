/**
 * Counting what React renders, rather than timing it (a count does not drift with the
 * machine's load): an init script that records, for each commit, the components that
 * rendered, each named by the element it draws — "row <id>" for a list row's own component,
 * "row <id> > span.row-status…" for a part inside a row, "list", "pane", or the element.
 *
 * The count comes from React's own commit notifications, through the hook React DevTools
 * uses (`__REACT_DEVTOOLS_GLOBAL_HOOK__`, which production builds also call). Key presses
 * are logged between commits, so a spec can find the commit after a key.
 */
export const RENDER_PROBE = `
(() => {
  const COMPONENT = new Set([0, 1, 11, 14, 15]); // function, class, forwardRef, memo, simple memo
  const PERFORMED_WORK = 1;
  const hostBelow = (fiber) => {
    const stack = [fiber.child];
    while (stack.length > 0) {
      const f = stack.pop();
      if (!f) continue;
      if (f.tag === 5) return f.stateNode;
      stack.push(f.sibling, f.child);
    }
    return null;
  };
  const hostAbove = (fiber) => {
    for (let f = fiber.return; f; f = f.return) if (f.tag === 5) return f.stateNode;
    return null;
  };
  const describe = (el) =>
    el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const place = (fiber) => {
    const el = hostBelow(fiber) || hostAbove(fiber);
    if (!(el instanceof Element)) return 'nothing drawn';
    const row = el.closest('[role="option"]');
    // The row's own component draws the row element; a part of it (its status chip) draws inside.
    if (row) return 'row ' + row.id + (row === el ? '' : ' > ' + describe(el));
    if (el.closest('#message-pane')) return 'pane';
    if (el.id === 'message-list') return 'list';
    return describe(el);
  };
  // Only subtrees React reconciled in this commit are walked (a bailed-out subtree keeps its
  // old child fibers); a component rendered if it mounted or did work.
  const rendered = (rootFiber) => {
    const out = [];
    const visit = (first) => {
      for (let f = first; f; f = f.sibling) {
        const alt = f.alternate;
        if (COMPONENT.has(f.tag) && (alt === null || (f.flags & PERFORMED_WORK) !== 0)) out.push(place(f));
        if (f.child && (alt === null || f.child !== alt.child)) visit(f.child);
      }
    };
    visit(rootFiber.alternate && rootFiber.child === rootFiber.alternate.child ? null : rootFiber.child);
    return out;
  };
  const log = [];
  window.__renders = log;
  window.addEventListener('keydown', (e) => log.push({ key: e.key }), true);
  window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    isDisabled: false,
    renderers: new Map(),
    inject() { return 1; },
    checkDCE() {},
    onScheduleFiberRoot() {},
    onCommitFiberUnmount() {},
    onPostCommitFiberRoot() {},
    onCommitFiberRoot(_id, root) { log.push({ places: rendered(root.current) }); },
  };
})();
`;

declare global {
  interface Window {
    __renders: ({ key: string } | { places: string[] })[];
  }
}

/** The row a rendered place is in ("row msg-1 > span.x" → "row msg-1"), or null outside the list's rows. */
export function rowOf(place: string): string | null {
  return place.startsWith('row ') ? (place.split(' > ')[0] ?? null) : null;
}
