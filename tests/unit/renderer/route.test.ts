import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hashToRoute,
  INBOX_ROUTE,
  INBOX_SCREENS,
  type Route,
  routeToHash,
  SCREENS,
} from '../../../renderer/state/route';

describe('screen routes in the address hash', () => {
  it('writes each screen as a readable deep link', () => {
    expect(routeToHash(INBOX_ROUTE)).toBe('#/');
    expect(routeToHash({ screen: 'settings', inboxId: null })).toBe('#/settings');
    expect(routeToHash({ screen: 'earnings', inboxId: 'inb_1' })).toBe('#/earnings/inb_1');
    expect(routeToHash({ screen: 'inboxSettings', inboxId: 'inb_1' })).toBe('#/inbox-settings/inb_1');
  });

  it('reads back every route it writes', () => {
    const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/);
    const route = fc.oneof(
      fc
        .constantFrom(...SCREENS.filter((s) => !INBOX_SCREENS.has(s)))
        .map((screen): Route => ({ screen, inboxId: null })),
      fc
        .tuple(fc.constantFrom(...SCREENS.filter((s) => INBOX_SCREENS.has(s))), fc.option(id, { nil: null }))
        .map(([screen, inboxId]): Route => ({ screen, inboxId })),
    );
    fc.assert(
      fc.property(route, (r) => {
        expect(hashToRoute(routeToHash(r))).toEqual(r);
      }),
    );
  });

  it('turns anything unknown or malformed into the inbox, never a broken screen', () => {
    for (const hash of ['', '#', '#/', '#/nope', '#/earnings/a/b', '#/earnings/<script>', '#/settings/x', '#//']) {
      expect(hashToRoute(hash), hash).toEqual(INBOX_ROUTE);
    }
    fc.assert(
      fc.property(fc.string(), (junk) => {
        const route = hashToRoute(junk);
        expect(SCREENS).toContain(route.screen);
        if (route.inboxId !== null) expect(route.inboxId).toMatch(/^[A-Za-z0-9_-]{1,128}$/);
      }),
    );
  });
});
