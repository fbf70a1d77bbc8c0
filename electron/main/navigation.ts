import { isAppUrl } from './app-origin';

/**
 * What may happen when the page tries to go somewhere. The app is a single page: it never
 * navigates its window (beyond reloading itself) and never opens windows. A web link the
 * person clicked goes to the system browser, after they confirm the address.
 */
export type NavigationDecision = { action: 'allow' } | { action: 'deny' } | { action: 'external'; url: string };

const EXTERNAL_PROTOCOLS = new Set(['https:', 'http:']);
const MAX_EXTERNAL_URL = 2048;

export function externalUrl(url: string): string | null {
  if (url.length > MAX_EXTERNAL_URL) return null;
  try {
    const parsed = new URL(url);
    if (!EXTERNAL_PROTOCOLS.has(parsed.protocol) || parsed.username || parsed.password) return null;
    return parsed.href;
  } catch {
    return null;
  }
}

export function decideNavigation(url: string): NavigationDecision {
  if (isAppUrl(url)) return { action: 'allow' };
  const external = externalUrl(url);
  return external ? { action: 'external', url: external } : { action: 'deny' };
}

/** window.open and target=_blank: never a new Electron window. */
export function decideWindowOpen(url: string): Exclude<NavigationDecision, { action: 'allow' }> {
  const external = externalUrl(url);
  return external ? { action: 'external', url: external } : { action: 'deny' };
}

/** The slice of Electron's WebContents the guards use — a fake in the unit tests. */
export interface GuardedContents {
  on(
    event: 'will-navigate' | 'will-redirect',
    listener: (event: { preventDefault(): void; url: string }) => void,
  ): void;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface ExternalOpener {
  /** Asks the person whether to open this address in their browser. */
  confirm(url: string): Promise<boolean>;
  open(url: string): Promise<void>;
}

async function openAfterConfirm(opener: ExternalOpener, url: string): Promise<void> {
  if (await opener.confirm(url)) await opener.open(url);
}

export function installNavigationGuards(contents: GuardedContents, opener: ExternalOpener): void {
  const onNavigate = (event: { preventDefault(): void; url: string }) => {
    const decision = decideNavigation(event.url);
    if (decision.action === 'allow') return;
    event.preventDefault();
    if (decision.action === 'external') void openAfterConfirm(opener, decision.url).catch(() => {});
  };
  contents.on('will-navigate', onNavigate);
  contents.on('will-redirect', onNavigate);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    if (decision.action === 'external') void openAfterConfirm(opener, decision.url).catch(() => {});
    return { action: 'deny' };
  });
}
