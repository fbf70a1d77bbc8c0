import { createServer, request, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedBulk } from '../../../server/demo/bulk';
import { type CallOutput, LIST_PAGE } from '../../../shared/contract';
import { startCore } from '../../fixtures/core/core';
import { clockOf, closeSoon, startTestPlatform, type TestPlatform } from '../../helpers/server';

/**
 * A manager's inboxes on a new device (#15): the bulk of their snapshots streams a few at a
 * time, not all at once, while every inbox lists its first page of pending messages at once
 * and reports its own progress. Real platform, real core, real HTTP between them.
 */
const INBOXES = 5;
const MESSAGES = 500;
const PENDING = 150;
const STREAMS = 2;

let platform: TestPlatform;
let manager: { email: string; password: string };
let inboxIds: string[];

beforeAll(async () => {
  platform = await startTestPlatform();
  const bulks = [];
  for (let i = 0; i < INBOXES; i++) {
    bulks.push(await seedBulk(platform.platform, { messages: MESSAGES, pendingShare: PENDING / MESSAGES, fans: 50 }));
  }
  const creators = bulks.map((b) => ({ ...b.creator, inboxId: b.inboxId }));
  const all = await platform.api.signUpManagerOfAll(creators, 'Manager of five');
  manager = all;
  inboxIds = all.inboxIds;
}, 180_000);
afterAll(() => closeSoon(platform), 20_000);

/**
 * An HTTP proxy in front of the platform that counts the snapshot streams open at once:
 * those resumed from a token (the bulk of an inbox, after its small first chunk) apart.
 */
async function countingProxy(target: string) {
  const url = new URL(target);
  let open = 0;
  let most = 0;
  let resumed = 0;
  const server: Server = createServer((req, res) => {
    const bulk = /\/snapshot\?.*resume=/.test(req.url ?? '');
    if (bulk) {
      open += 1;
      resumed += 1;
      most = Math.max(most, open);
      res.on('close', () => {
        open -= 1;
      });
    }
    const upstream = request(
      { host: url.hostname, port: url.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    figures: () => ({ most, resumed }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe("a manager's inboxes on a new device", () => {
  it('streams the bulk of their snapshots a few at a time, each inbox listing its first page at once', async () => {
    const proxy = await countingProxy(platform.url);
    const h = await startCore({ clock: clockOf(platform), sync: { snapshotStreams: STREAMS } });
    // Each inbox's progress as the status reported it, and what the others had when the first one finished.
    const statuses: Array<CallOutput<'sync.status'>> = [];
    h.core.onEvent((name, payload) => {
      if (name === 'sync.status') statuses.push(payload as CallOutput<'sync.status'>);
    });
    try {
      const account = await h.signIn(proxy.url, manager);
      await h.untilSynced(account.id, 120_000);

      const { most, resumed } = proxy.figures();
      // Every inbox streamed its bulk (its snapshot is longer than the first chunk), never more than two at once.
      expect(resumed).toBeGreaterThanOrEqual(INBOXES);
      expect(most).toBeLessThanOrEqual(STREAMS);
      expect(most).toBeGreaterThanOrEqual(1);

      // Progress per inbox: each was listed while it bootstrapped, with messages done before it completed.
      const during = statuses.filter((s) => s.accountId === account.id && s.bootstrap !== null);
      for (const inboxId of inboxIds) {
        const listed = during.flatMap((s) => s.inboxes.filter((i) => i.inboxId === inboxId));
        expect(listed.length).toBeGreaterThan(0);
        expect(listed.some((i) => i.done > 0 && i.done < MESSAGES)).toBe(true);
      }
      // None starved: when the first inbox had finished, every other one still waiting had its
      // first chunk in, and a total to show its bar against (the count came with that chunk).
      const firstDone = during.find((s) => s.inboxes.length < INBOXES);
      expect(firstDone).toBeDefined();
      for (const waiting of firstDone?.inboxes ?? []) {
        expect(waiting.done).toBeGreaterThanOrEqual(LIST_PAGE);
        expect(waiting.total).toBe(MESSAGES);
      }

      for (const inboxId of inboxIds) {
        const page = await h.call('inbox.page', { accountId: account.id, inboxId, view: 'pending', limit: LIST_PAGE });
        expect(page.total).toBe(PENDING);
      }
    } finally {
      await h.close();
      await proxy.close();
    }
  }, 180_000);
});
