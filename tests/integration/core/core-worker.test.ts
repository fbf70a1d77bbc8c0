import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createMemoryVault, type TokenVault } from '../../../electron/core';
import {
  CORE_STOPPED_MESSAGE,
  CORE_YOUNG_GENERATION_MB,
  createCoreInWorker,
  startCoreWorker,
} from '../../../electron/core/worker/host';
import { type CallInput, type CallName, type CallOutput, dispatchCall } from '../../../shared/contract';
import { startCore } from '../../fixtures/core/core';
import { waitFor } from '../../fixtures/core/proxy';
import { closeSoon, startCast, type TestCast } from '../../helpers/server';

/**
 * The core on its worker thread (electron/core/worker), against the real platform on
 * loopback and real SQLite files: the same answers and events as the core in process,
 * the vault called on this thread, a clear error when the worker dies.
 */
let { platform, creator, fan } = {} as TestCast;
beforeAll(async () => {
  ({ platform, creator, fan } = await startCast());
});
afterAll(() => closeSoon(platform), 20_000);

const SYNC = { undoWindowMs: 0, pollIntervalMs: 60_000, backoff: { baseMs: 50, maxMs: 400 } };

/** A fresh core's options: its own data folder, the test sync timings. */
function workerOptions(vault: TokenVault = createMemoryVault()) {
  return {
    dataDir: mkdtempSync(join(tmpdir(), 'core-worker-')),
    deviceName: 'test device',
    shell: 'browser' as const,
    version: '0.0.0-test',
    vault,
    sync: SYNC,
  };
}

function workerCore(vault: TokenVault = createMemoryVault()): Promise<Core> {
  return createCoreInWorker(workerOptions(vault));
}

/** Calls through the contract as every transport does; throws the error value. */
async function call<N extends CallName>(core: Core, name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const result = await dispatchCall(core.handlers, name, input);
  if (!result.ok) throw Object.assign(new Error(`${name}: ${result.error.code}`), result.error);
  return result.value as CallOutput<N>;
}

/** Sign in, wait for the sync, star a message and wait for it to settle: what each core answered. */
async function roundTrip(core: Core, starId: string) {
  const events: string[] = [];
  core.onEvent((name) => events.push(name));
  const account = await call(core, 'accounts.connect', {
    url: platform.url,
    email: creator.email,
    password: creator.password,
  });
  const accountId = account.id;
  const pending = () => call(core, 'inbox.page', { accountId, inboxId: null, view: 'pending', limit: 50 });
  await waitFor(async () => (await pending()).total === 3, 'bootstrap');
  const submitted = await call(core, 'actions.submit', {
    accountId,
    messageId: starId,
    action: { kind: 'triage', patch: { starred: true } },
  });
  const status = await waitFor(async () => {
    const now = await call(core, 'sync.status', { accountId });
    return now.pendingActions === 0 && now.bootstrap === null && now.state === 'online' ? now : null;
  }, 'star sent, sync done');
  return {
    account: { ...account, id: 'ACCOUNT' },
    submitted: Object.keys(submitted).sort(),
    pending: (await pending()).rows,
    starred: (await call(core, 'inbox.page', { accountId, inboxId: null, view: 'starred', limit: 50 })).rows,
    thread: await call(core, 'message.thread', { accountId, messageId: starId }),
    search: (await call(core, 'search', { accountId, inboxId: null, text: 'question' })).rows.map((r) => r.id),
    status: { state: status.state, bootstrap: status.bootstrap, pendingActions: status.pendingActions },
    events: [...new Set(events)].sort(),
  };
}

describe('the core on a worker thread', () => {
  it('answers a sign-in, sync and triage round trip as the core in process does, events included', async () => {
    const sent = [];
    for (let i = 0; i < 3; i++) sent.push(await platform.api.sendPaidMessage(fan, creator, `Question number ${i}`));
    const starId = sent[1]?.id ?? '';
    const inProcess = await startCore({ sync: SYNC });
    const inWorker = await workerCore();
    try {
      const here = await roundTrip(inProcess.core, starId);
      const there = await roundTrip(inWorker, starId);
      expect(there.starred.map((r) => r.id)).toEqual([starId]);
      expect(there.events).toEqual(expect.arrayContaining(['entities.changed', 'sync.status']));
      // The second device sees the first one's star arrive from the platform: same rows, same states.
      expect(there).toEqual(here);
    } finally {
      await inWorker.close();
      await inProcess.close();
    }
  });

  it('keeps the token vault on this thread: the worker asks for it over the channel', async () => {
    const threads: Array<[string, boolean]> = [];
    const memory = createMemoryVault();
    const seen = (method: string) => threads.push([method, isMainThread]);
    const vault: TokenVault = {
      persistent: false,
      get: (id) => {
        seen('get');
        return memory.get(id);
      },
      set: (id, token) => {
        seen('set');
        return memory.set(id, token);
      },
      delete: (id) => {
        seen('delete');
        return memory.delete(id);
      },
    };
    const core = await workerCore(vault);
    try {
      const account = await call(core, 'accounts.connect', {
        url: platform.url,
        email: creator.email,
        password: creator.password,
      });
      expect(await memory.get(account.id)).toMatch(/.+/);
      await call(core, 'accounts.signOut', { accountId: account.id });
      expect(await memory.get(account.id)).toBeNull();
      expect(threads).toEqual([
        ['set', true],
        ['delete', true],
      ]);
    } finally {
      await core.close();
    }
  });

  it('gives bad input and refusals the same clear errors as the core in process', async () => {
    const inProcess = await startCore({ sync: SYNC });
    const inWorker = await workerCore();
    try {
      const account = await call(inWorker, 'accounts.connect', {
        url: platform.url,
        email: creator.email,
        password: creator.password,
      });
      const bad: Array<[CallName, unknown]> = [
        ['accounts.signOut', { accountId: [] }],
        ['no.such.call' as CallName, {}],
        ['sync.status', { accountId: 'not-an-account' }],
        ['accounts.startDemo', {}],
        ['files.showInFolder', { path: '/tmp/x.csv' }],
        ['accounts.connect', { url: 'http://example.com', email: 'a@b.co', password: 'secret-password' }],
      ];
      for (const [name, input] of bad) {
        const there = await dispatchCall(inWorker.handlers, name, input);
        const here = await dispatchCall(inProcess.core.handlers, name, input);
        expect(there.ok, name).toBe(false);
        expect(there, name).toEqual(here);
      }
      // A refusal from deep in the worker's core keeps its code, message and details.
      const refused = await dispatchCall(inWorker.handlers, 'actions.submit', {
        accountId: account.id,
        messageId: '00000000-0000-4000-8000-000000000000',
        action: { kind: 'triage', patch: { starred: true } },
      });
      expect(refused).toMatchObject({ ok: false, error: { code: 'not_found' } });
    } finally {
      await inWorker.close();
      await inProcess.close();
    }
  });

  it("bounds the worker's young generation (a bootstrap's churn) but never its old generation", async () => {
    const { core, worker } = await startCoreWorker(workerOptions());
    try {
      // V8's own default here is 192 MiB, which a 100k bootstrap fills (core README, bootstrap).
      expect(worker.resourceLimits?.maxYoungGenerationSizeMb).toBe(CORE_YOUNG_GENERATION_MB);
      expect(CORE_YOUNG_GENERATION_MB).toBeLessThan(64);
      // The old generation keeps the default of a thread started without limits: a big sync cannot run out sooner.
      const plain = new Worker('setInterval(() => {}, 1000)', { eval: true });
      await once(plain, 'online');
      const own = plain.resourceLimits?.maxOldGenerationSizeMb;
      await plain.terminate();
      expect(worker.resourceLimits?.maxOldGenerationSizeMb).toBe(own);
      await expect(dispatchCall(core.handlers, 'accounts.list', {})).resolves.toMatchObject({ ok: true });
    } finally {
      await core.close();
    }
  });

  it('fails every waiting and later call with a clear error when the worker dies, instead of hanging', async () => {
    // A "platform" that accepts the connection and never answers: the sign-in waits in the worker.
    const silent: Server = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const { core, worker } = await startCoreWorker(workerOptions());
    try {
      const waiting = dispatchCall(core.handlers, 'accounts.connect', {
        url: `http://127.0.0.1:${port}`,
        email: 'a@b.co',
        password: 'secret-password',
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      await worker.terminate();
      const stopped = { ok: false, error: { code: 'internal', message: CORE_STOPPED_MESSAGE } };
      await expect(waiting).resolves.toMatchObject(stopped);
      await expect(dispatchCall(core.handlers, 'accounts.list', {})).resolves.toMatchObject(stopped);
      await core.close();
    } finally {
      silent.close();
    }
  });
});
