import { afterEach, describe, expect, it } from 'vitest';
import { applyPage } from '../../../electron/core/store/apply';
import { stmt } from '../../../electron/core/store/statements';
import { enqueueSettings, SETTINGS_ACTION, settingsView } from '../../../electron/core/team/settings';
import { FakeFeed, inboxSettings } from '../../fixtures/core/feed';
import { tempStore } from '../../fixtures/core/store';

const SETTINGS = inboxSettings({ price: { minor: 2_000, currency: 'USD' } });

let cleanup: (() => void) | null = null;
afterEach(() => cleanup?.());

function storeWithSettings(feeBps?: number) {
  const temp = tempStore();
  cleanup = temp.cleanup;
  const feed = new FakeFeed('inbox-1');
  feed.changes.push({ seq: ++feed.seq, at: 1, kind: 'settings', data: SETTINGS });
  if (feeBps !== undefined) feed.message('m-1', { feeBps });
  temp.store.write(() => applyPage(temp.store.db, feed.page(), 0, 1));
  return temp.store;
}

describe('inbox settings in the local store', () => {
  it('lays queued edits over the synced settings and reads the fee from the platform’s messages', () => {
    const store = storeWithSettings(1_250);
    expect(settingsView(store.db, 'inbox-1')).toEqual({
      settings: SETTINGS,
      pending: false,
      feeBps: 1_250,
      feeSource: 'platform',
    });
    store.write(() => enqueueSettings(store.db, 'inbox-1', { paused: true }, 10));
    store.write(() => enqueueSettings(store.db, 'inbox-1', { price: { minor: 3_000, currency: 'EUR' } }, 11));
    const view = settingsView(store.db, 'inbox-1');
    expect(view.pending).toBe(true);
    expect(view.settings).toEqual({ ...SETTINGS, paused: true, price: { minor: 3_000, currency: 'EUR' } });
  });

  it('uses the platform default fee until the inbox has a message', () => {
    const store = storeWithSettings();
    expect(settingsView(store.db, 'inbox-1')).toMatchObject({ feeBps: 1_000, feeSource: 'default' });
  });

  it('merges an edit into one that has not left yet, and queues behind one that has been tried', () => {
    const store = storeWithSettings(1_000);
    const first = store.write(() => enqueueSettings(store.db, 'inbox-1', { paused: true }, 10));
    const merged = store.write(() => enqueueSettings(store.db, 'inbox-1', { dailyCap: 5 }, 11));
    expect(merged.actionId).toBe(first.actionId);
    const payloads = () =>
      stmt(store.db, 'SELECT payload FROM outbox WHERE kind = ? ORDER BY position')
        .pluck()
        .all(SETTINGS_ACTION)
        .map((p) => JSON.parse(p as string).patch);
    expect(payloads()).toEqual([{ paused: true, dailyCap: 5 }]);
    stmt(store.db, 'UPDATE outbox SET attempts = 1').run();
    const behind = store.write(() => enqueueSettings(store.db, 'inbox-1', { paused: false }, 12));
    expect(behind.actionId).not.toBe(first.actionId);
    expect(payloads()).toEqual([{ paused: true, dailyCap: 5 }, { paused: false }]);
    // Both carry the same ordering key, so the pusher sends them one after the other.
    const keys = stmt(store.db, 'SELECT DISTINCT message_id FROM outbox').pluck().all();
    expect(keys).toEqual(['settings:inbox-1']);
    expect(settingsView(store.db, 'inbox-1').settings).toMatchObject({ paused: false, dailyCap: 5 });
  });

  it.each([
    [{ responseWindowMs: 59 * 60_000 }, 'invalid_input'],
    [{ responseWindowMs: 31 * 86_400_000 }, 'invalid_input'],
    [{ price: { minor: 0, currency: 'USD' } }, 'invalid_input'],
    [{}, 'invalid_input'],
  ])('refuses %j and queues nothing', (patch, code) => {
    const store = storeWithSettings(1_000);
    expect(() => store.write(() => enqueueSettings(store.db, 'inbox-1', patch, 10))).toThrow(
      expect.objectContaining({ bridgeCode: code }),
    );
    expect(stmt(store.db, 'SELECT count(*) FROM outbox').pluck().get()).toBe(0);
  });

  it('refuses a price that is not an integer count of minor units', () => {
    const store = storeWithSettings(1_000);
    expect(() =>
      store.write(() => enqueueSettings(store.db, 'inbox-1', { price: { minor: 12.5, currency: 'USD' } } as never, 10)),
    ).toThrow();
    expect(stmt(store.db, 'SELECT count(*) FROM outbox').pluck().get()).toBe(0);
  });

  it('cannot be edited before the settings were ever synced', () => {
    const temp = tempStore();
    cleanup = temp.cleanup;
    expect(() => temp.store.write(() => enqueueSettings(temp.store.db, 'inbox-1', { paused: true }, 1))).toThrow(
      expect.objectContaining({ bridgeCode: 'offline' }),
    );
  });
});
