import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCore } from '../../fixtures/core/core';
import { waitFor } from '../../fixtures/core/proxy';
import { clockOf, closeSoon, startCast, type TestCast } from '../../helpers/server';

let { platform, creator, fan } = {} as TestCast;
beforeAll(async () => {
  ({ platform, creator, fan } = await startCast({ demo: true }, { creator: 'Account Creator', fan: 'Account Fan' }));
});
afterAll(() => closeSoon(platform), 20_000);
const clock = () => clockOf(platform);

describe('accounts', () => {
  it('refuses plain http:// except to this computer, and bad credentials, clearly', async () => {
    const h = await startCore({ clock: clock() });
    try {
      await expect(
        h.call('accounts.connect', { url: 'http://example.com', email: 'a@b.co', password: 'x' }),
      ).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(
        h.call('accounts.connect', { url: platform.url, email: creator.email, password: 'wrong password' }),
      ).rejects.toMatchObject({ code: 'platform_error' });
      await expect(
        h.call('accounts.connect', { url: 'http://127.0.0.1:1', email: creator.email, password: 'x' }),
      ).rejects.toMatchObject({ code: 'offline' });
      expect(await h.call('accounts.list', {})).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('keeps actions queued when the platform signs the device out, and sends them after signing in again', async () => {
    const message = await platform.api.sendPaidMessage(fan, creator, 'Revoked device');
    const h = await startCore({ clock: clock() });
    try {
      const { id: accountId } = await h.signIn(platform.url, creator);
      await h.untilPending(accountId, message.id);
      // The session is revoked on the platform (from another device, say).
      const token = await h.vault.get(accountId);
      await platform.api.ok('signOut', { token });
      await h.call('actions.submit', { accountId, messageId: message.id, action: { kind: 'accept' } });
      await waitFor(async () => (await h.call('sync.status', { accountId })).state === 'signed_out', 'signed out');
      expect(await h.call('outbox.list', { accountId })).toHaveLength(1);
      expect((await h.call('message.thread', { accountId, messageId: message.id })).message.pendingDecision).toBe(
        'accept',
      );
      await h.call('accounts.connect', { url: platform.url, email: creator.email, password: creator.password });
      await waitFor(async () => (await h.call('outbox.list', { accountId })).length === 0, 'delivered');
      const { events } = await platform.api.ok('ledger', {
        token: creator.token,
        params: { inboxId: creator.inboxId },
      });
      expect(events.filter((e) => e.messageId === message.id && e.kind === 'capture')).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it('signs out: the token, the account and its local database are gone', async () => {
    const h = await startCore({ clock: clock() });
    try {
      const { id: accountId } = await h.signIn(platform.url, creator);
      await waitFor(async () => (await h.call('sync.status', { accountId })).state === 'online', 'online');
      const dbPath = join(h.dataDir, 'accounts', `${accountId}.sqlite`);
      expect(existsSync(dbPath)).toBe(true);
      await h.call('accounts.signOut', { accountId });
      expect(await h.call('accounts.list', {})).toEqual([]);
      expect(await h.vault.get(accountId)).toBeNull();
      expect(readdirSync(join(h.dataDir, 'accounts'))).toEqual([]);
      await expect(h.call('inbox.page', { accountId, inboxId: null, view: 'pending' })).rejects.toMatchObject({
        code: 'not_found',
      });
      expect(
        h.events.some(
          (e) => e.name === 'entities.changed' && (e.payload as { kinds: string[] }).kinds.includes('accounts'),
        ),
      ).toBe(true);
    } finally {
      await h.close();
    }
  });

  it('signs out: every copy of the account’s data goes, damaged copies set aside included, and only its own', async () => {
    const first = await startCore({ clock: clock() });
    const { dataDir, vault } = first;
    let accountId = '';
    let otherId = '';
    try {
      ({ id: accountId } = await first.signIn(platform.url, creator));
      ({ id: otherId } = await first.signIn(platform.url, fan));
      await waitFor(async () => (await first.call('sync.status', { accountId })).state === 'online', 'online');
    } finally {
      await first.close();
    }
    // The account's database is damaged while the app is closed: at the next start it is
    // moved aside (kept, in case anything in it can be saved) and rebuilt from the platform.
    const accounts = join(dataDir, 'accounts');
    writeFileSync(join(accounts, `${accountId}.sqlite`), Buffer.alloc(8192, 0xa5));
    const h = await startCore({ clock: clock(), dataDir, vault });
    try {
      await waitFor(async () => (await h.call('sync.status', { accountId })).state === 'online', 'rebuilt');
      const mine = () => readdirSync(accounts).filter((f) => f.startsWith(`${accountId}.`));
      expect(mine().some((f) => f.includes('.corrupt-'))).toBe(true);
      await h.call('accounts.signOut', { accountId });
      expect(mine()).toEqual([]);
      // The other account on this device keeps its data.
      expect(readdirSync(accounts)).toContain(`${otherId}.sqlite`);
      expect((await h.call('accounts.list', {})).map((a) => a.id)).toEqual([otherId]);
    } finally {
      await h.close();
    }
  });

  it('starts the demo through the shell’s launcher and signs in again by itself after a restart', async () => {
    let launches = 0;
    const demo = {
      async start() {
        launches++;
        const credentials = platform.platform.demoCredentials;
        if (!credentials) throw new Error('the platform was started without its demo');
        return { url: platform.url, ...credentials.creator };
      },
    };
    const h = await startCore({ clock: clock(), demo });
    let accountId = '';
    try {
      const account = await h.call('accounts.startDemo', {});
      accountId = account.id;
      expect(account).toMatchObject({ demo: true, kind: 'creator' });
      expect(account.inboxes.length).toBeGreaterThan(0);
      await waitFor(async () => (await h.call('sync.status', { accountId })).state === 'online', 'demo bootstrapped');
      const counts = await h.call('inbox.counts', { accountId, inboxId: null });
      expect(counts.views.reduce((sum, v) => sum + v.count, 0)).toBeGreaterThan(0);
    } finally {
      await h.close();
    }
    // A new launch: tokens lived in memory only, so the core asks the launcher again.
    const again = await startCore({ clock: clock(), demo, dataDir: h.dataDir });
    try {
      await waitFor(async () => (await again.call('sync.status', { accountId })).state === 'online', 'signed in again');
      expect(launches).toBe(2);
      expect((await again.call('accounts.list', {})).map((a) => a.id)).toEqual([accountId]);
    } finally {
      await again.close();
    }
  });
});
