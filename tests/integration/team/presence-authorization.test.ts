/**
 * The presence routes, caller by caller, beyond what the server's authorization matrix
 * (tests/integration/server/authorization.test.ts, which covers them as routes of the
 * table) asks: a revoked manager, streams, and a message of another inbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESENCE_EVENTS_PATH, PRESENCE_PATH, routePath } from '../../../shared/protocol';
import { startTestPlatform, type TestCreator, type TestPlatform, type TestUser } from '../../helpers/server';

let t: TestPlatform;
let owner: TestCreator;
let otherCreator: TestCreator;
let messageId: string;
let otherInboxMessageId: string;
const callers: Array<{ name: string; token: string | null; allowed: boolean }> = [];

beforeAll(async () => {
  t = await startTestPlatform();
  owner = await t.api.signUpCreator();
  otherCreator = await t.api.signUpCreator();
  const fan = await t.api.signUpFan();
  await t.api.topUp(fan, { minor: 100_000, currency: 'USD' });
  messageId = (await t.api.sendPaidMessage(fan, owner, 'Matrix')).id;
  otherInboxMessageId = (await t.api.sendPaidMessage(fan, otherCreator, 'Elsewhere')).id;
  const bare = await t.api.signUpManager(owner, []);
  const full = await t.api.signUpManager(owner, ['accept', 'refund', 'reply', 'view_earnings']);
  const revoked = await t.api.signUpManager(owner, ['accept']);
  await t.api.ok('revokeMember', { token: owner.token, params: { inboxId: owner.inboxId, userId: revoked.id } });
  const otherManager = await t.api.signUpManager(otherCreator, ['accept']);
  const add = (name: string, user: TestUser | null, allowed: boolean) =>
    callers.push({ name, token: user?.token ?? null, allowed });
  add('anonymous', null, false);
  add('fan', fan, false);
  add('other creator', otherCreator, false);
  add("other creator's manager", otherManager, false);
  add('revoked manager', revoked, false);
  add('manager (no permissions)', bare, true);
  add('manager (every permission)', full, true);
  add('owner', owner, true);
});
afterAll(() => t.close());

const path = (p: string) => routePath(p, { inboxId: owner.inboxId });
const refusedStatus = (token: string | null) => (token === null ? 401 : 404);

describe('presence authorization matrix', () => {
  it('POST heartbeat', async () => {
    for (const c of callers) {
      const r = await t.api.request('POST', path(PRESENCE_PATH), {
        token: c.token,
        body: { messageId, state: 'viewing' },
      });
      expect({ caller: c.name, status: r.status }).toEqual({
        caller: c.name,
        status: c.allowed ? 200 : refusedStatus(c.token),
      });
      if (c.allowed) {
        // Leave again so the next caller starts from an empty room.
        await t.api.request('POST', path(PRESENCE_PATH), { token: c.token, body: { messageId, state: null } });
      }
    }
  });

  it('GET list', async () => {
    for (const c of callers) {
      const r = await t.api.request('GET', path(PRESENCE_PATH), { token: c.token });
      expect({ caller: c.name, status: r.status }).toEqual({
        caller: c.name,
        status: c.allowed ? 200 : refusedStatus(c.token),
      });
    }
  });

  it('GET event stream', async () => {
    for (const c of callers) {
      const controller = new AbortController();
      const response = await fetch(new URL(path(PRESENCE_EVENTS_PATH), t.url), {
        headers: c.token ? { authorization: `Bearer ${c.token}` } : {},
        signal: controller.signal,
      });
      expect({ caller: c.name, status: response.status }).toEqual({
        caller: c.name,
        status: c.allowed ? 200 : refusedStatus(c.token),
      });
      if (c.allowed) expect(response.headers.get('content-type')).toContain('text/event-stream');
      controller.abort();
      await response.body?.cancel().catch(() => undefined);
    }
  });

  it('refuses a message of another inbox, an unknown state and a malformed inbox id, changing nothing', async () => {
    const elsewhere = await t.api.request('POST', path(PRESENCE_PATH), {
      token: owner.token,
      body: { messageId: otherInboxMessageId, state: 'replying' },
    });
    expect(elsewhere.status).toBe(404);
    const badState = await t.api.request('POST', path(PRESENCE_PATH), {
      token: owner.token,
      body: { messageId, state: 'typing' },
    });
    expect(badState.status).toBe(400);
    expect(badState.body).toMatchObject({ error: { code: 'invalid_request' } });
    const badId = await t.api.request('GET', `/v1/inboxes/${'x'.repeat(100)}/presence`, { token: owner.token });
    expect(badId.status).toBe(400);
    const list = await t.api.request<{ people: unknown[] }>('GET', path(PRESENCE_PATH), { token: owner.token });
    expect(list.body.people).toEqual([]);
  });
});
