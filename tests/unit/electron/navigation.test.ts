import { describe, expect, it, vi } from 'vitest';
import {
  decideNavigation,
  decideWindowOpen,
  type GuardedContents,
  installNavigationGuards,
} from '../../../electron/main/navigation';

type Listener = (event: { preventDefault(): void; url: string }) => void;

/** A stand-in for Electron's WebContents: records listeners and the window-open handler. */
function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  const contents: GuardedContents = {
    on(event: string, listener: Listener) {
      listeners.set(event, listener);
    },
    setWindowOpenHandler(handler) {
      openHandler = handler;
    },
  } as GuardedContents;
  const fire = (event: string, url: string) => {
    const preventDefault = vi.fn();
    listeners.get(event)?.({ preventDefault, url });
    return preventDefault;
  };
  return { contents, fire, open: (url: string) => openHandler?.({ url }), listeners };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('navigation and window-open guards (fake WebContents, no Electron binary)', () => {
  it('lets the app reload its own page and nothing else', () => {
    expect(decideNavigation('app://creator-inbox/index.html')).toEqual({ action: 'allow' });
    expect(decideNavigation('app://creator-inbox/#/inbox')).toEqual({ action: 'allow' });
    expect(decideNavigation('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(decideNavigation('app://other-host/index.html')).toEqual({ action: 'deny' });
    expect(decideNavigation('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(decideNavigation('https://example.com/a')).toEqual({ action: 'external', url: 'https://example.com/a' });
  });

  it('never opens a window; web links go outside, other schemes nowhere', () => {
    expect(decideWindowOpen('https://fan.example/profile')).toEqual({
      action: 'external',
      url: 'https://fan.example/profile',
    });
    expect(decideWindowOpen('app://creator-inbox/index.html')).toEqual({ action: 'deny' });
    expect(decideWindowOpen('smb://share/x')).toEqual({ action: 'deny' });
    expect(decideWindowOpen('https://user:pass@evil.example/')).toEqual({ action: 'deny' });
    expect(decideWindowOpen(`https://example.com/${'a'.repeat(3000)}`)).toEqual({ action: 'deny' });
  });

  it('blocks navigation away and opens http(s) links in the system browser only after a confirm', async () => {
    const fake = fakeContents();
    const opener = { confirm: vi.fn(async () => true), open: vi.fn(async () => {}) };
    installNavigationGuards(fake.contents, opener);

    expect(fake.fire('will-navigate', 'app://creator-inbox/index.html')).not.toHaveBeenCalled();
    expect(fake.fire('will-navigate', 'https://example.com/')).toHaveBeenCalled();
    expect(fake.fire('will-redirect', 'file:///etc/hosts')).toHaveBeenCalled();
    await flush();
    expect(opener.confirm).toHaveBeenCalledWith('https://example.com/');
    expect(opener.open).toHaveBeenCalledWith('https://example.com/');
    expect(opener.open).toHaveBeenCalledTimes(1);
  });

  it('denies every window.open, and does not open the link when the person says no', async () => {
    const fake = fakeContents();
    const opener = { confirm: vi.fn(async () => false), open: vi.fn(async () => {}) };
    installNavigationGuards(fake.contents, opener);
    expect(fake.open('https://example.com/x')).toEqual({ action: 'deny' });
    expect(fake.open('file:///tmp/x')).toEqual({ action: 'deny' });
    await flush();
    expect(opener.confirm).toHaveBeenCalledTimes(1);
    expect(opener.open).not.toHaveBeenCalled();
  });

  it('refuses to attach <webview>', () => {
    const fake = fakeContents();
    installNavigationGuards(fake.contents, { confirm: async () => true, open: async () => {} });
    expect(fake.fire('will-attach-webview', 'about:blank')).toHaveBeenCalled();
  });
});
