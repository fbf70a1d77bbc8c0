import { create } from 'zustand';

/**
 * Which screen is shown: the inbox, or one of the full screens beside it. The route lives
 * in the address's hash (#/earnings/<inbox>), so back/forward move between screens and a
 * screen can be linked to and reopened after a reload. UI state only.
 */
export const SCREENS = ['inbox', 'earnings', 'team', 'audit', 'inboxSettings', 'settings', 'drafts'] as const;
export type ScreenId = (typeof SCREENS)[number];

/** Screens about one inbox carry its id; the inbox and app settings do not. */
export const INBOX_SCREENS: ReadonlySet<ScreenId> = new Set(['earnings', 'team', 'audit', 'inboxSettings', 'drafts']);

export interface Route {
  screen: ScreenId;
  inboxId: string | null;
}

export const INBOX_ROUTE: Route = { screen: 'inbox', inboxId: null };

const SLUGS: Record<ScreenId, string> = {
  inbox: '',
  earnings: 'earnings',
  team: 'team',
  audit: 'audit',
  inboxSettings: 'inbox-settings',
  settings: 'settings',
  drafts: 'drafts',
};
const BY_SLUG = new Map(Object.entries(SLUGS).map(([screen, slug]) => [slug, screen as ScreenId]));
const ID = /^[A-Za-z0-9_-]{1,128}$/;

export function routeToHash(route: Route): string {
  const slug = SLUGS[route.screen];
  if (!slug) return '#/';
  return INBOX_SCREENS.has(route.screen) && route.inboxId ? `#/${slug}/${route.inboxId}` : `#/${slug}`;
}

/** Anything unknown or malformed is the inbox: a bad link never shows a broken screen. */
export function hashToRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/');
  const screen = BY_SLUG.get(parts[0] ?? '');
  if (!screen || screen === 'inbox') return INBOX_ROUTE;
  const id = parts[1];
  if (!INBOX_SCREENS.has(screen)) return parts.length === 1 ? { screen, inboxId: null } : INBOX_ROUTE;
  if (parts.length > 2 || (id !== undefined && !ID.test(id))) return INBOX_ROUTE;
  return { screen, inboxId: id ?? null };
}

interface RouteState extends Route {
  /** Shows a screen and adds it to the history, so Back returns here. */
  go(route: Route): void;
  /** Back to the previous screen, or the inbox when there is none in this session. */
  back(): void;
}

/** Screens this session came through, so Back knows where it returns before the browser says so. */
const past: Route[] = [];

export const useRoute = create<RouteState>((set, get) => ({
  ...hashToRoute(typeof location === 'undefined' ? '' : location.hash),
  go(route) {
    const current = get();
    if (current.screen === route.screen && current.inboxId === route.inboxId) return;
    past.push({ screen: current.screen, inboxId: current.inboxId });
    set(route);
    history.pushState(null, '', routeToHash(route));
  },
  back() {
    // Shown at once (focus can move to it now); the browser's own popstate then agrees.
    const previous = past.pop();
    if (previous) {
      set(previous);
      history.back();
    } else if (get().screen !== 'inbox') {
      set(INBOX_ROUTE);
      history.replaceState(null, '', routeToHash(INBOX_ROUTE));
    }
  },
}));

/** Follows the browser's back/forward buttons (and Alt+←/→): the hash is the truth. */
export function listenToHistory(): () => void {
  const onPop = () => {
    const next = hashToRoute(location.hash);
    const current = useRoute.getState();
    const last = past[past.length - 1];
    if (last && last.screen === next.screen && last.inboxId === next.inboxId) past.pop();
    if (current.screen !== next.screen || current.inboxId !== next.inboxId) useRoute.setState(next);
  };
  window.addEventListener('popstate', onPop);
  return () => window.removeEventListener('popstate', onPop);
}
