import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Locator } from '@playwright/test';
import { earningsIn } from '../helpers/earnings';
import { expect, test } from './fixtures';
import { addManager, focusedRow, inScenario, messageList, waitForRows } from './inbox-helpers';

/**
 * Issue 12, item 4 (money shown one way): in Arabic, Intl writes "25.00 US$"; laid out
 * right to left without an isolate the "$" detaches from "US" and the screen reads
 * "$US 25.00". Every amount goes through one formatter (renderer/i18n/format.ts
 * formatAmount) and one component (renderer/ui/Amount.tsx). What is checked is what a
 * person SEES: the characters in the order Chromium laid them out, left to right.
 */

test.use({ locale: 'ar-EG' });

/**
 * The element's text as laid out on screen: line by line, each read left to right
 * (invisible bidi marks dropped).
 */
async function visualText(locator: Locator): Promise<string> {
  return locator.evaluate((element) => {
    const glyphs: { x: number; line: number; ch: string }[] = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      for (let i = 0; i < text.length; i++) {
        const ch = text[i] ?? '';
        if (/[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/.test(ch)) continue;
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getBoundingClientRect();
        if (rect.width > 0) {
          const line = Math.round((rect.top + rect.bottom) / 2 / 8);
          glyphs.push({ x: rect.left + rect.width / 2, line, ch: /\s/.test(ch) ? ' ' : ch });
        }
      }
    }
    return glyphs
      .sort((a, b) => a.line - b.line || a.x - b.x)
      .map((g, i, all) => (i > 0 && all[i - 1]?.line !== g.line ? `\n${g.ch}` : g.ch))
      .join('');
  });
}

test('item 4: in Arabic every amount reads "US$ 25.00" on screen, never "$US" (rows, reading pane, pending list, earnings)', ({
  app,
}) =>
  inScenario(app, { timeout: 150_000 }, async (scenario, { page, host }) => {
    await page.goto(host.url);
    await page.getByLabel('عنوان المنصة').fill(scenario.platform.url);
    await page.getByLabel('البريد الإلكتروني').fill(scenario.creator.email);
    await page.getByLabel('كلمة المرور').fill(scenario.creator.password);
    await page.getByRole('button', { name: 'اتصال' }).click();
    await expect(messageList(page)).toBeVisible({ timeout: 30_000 });
    await waitForRows(page, 3);

    // The number is read first (on the right), then the currency, kept whole: "US$ 25.00".
    const expected = 'US$ 25.00';
    await expect.poll(() => visualText(focusedRow(page).locator('.row-price'))).toBe(expected);
    await expect.poll(() => visualText(page.locator('.money-line .price'))).toBe(expected);

    // A queued accept (platform away) lists its amount in the pending actions.
    await scenario.stop();
    await page.keyboard.press('a');
    await page.getByRole('button', { name: 'إجراء واحد معلّق' }).click();
    const pendingAmount = page.getByRole('dialog', { name: 'الإجراءات المعلّقة' }).locator('li .amount').first();
    await expect.poll(() => visualText(pendingAmount)).toBe(expected);
    await page.keyboard.press('Escape');

    // Earnings: every figure on the screen keeps its currency symbol whole.
    await page.evaluate((inboxId) => {
      location.hash = `#/earnings/${inboxId}`;
    }, scenario.creator.inboxId);
    const screen = page.getByRole('region', { name: 'الأرباح', exact: true });
    await expect(screen.getByRole('article', { name: 'USD' })).toBeVisible({ timeout: 30_000 });
    const figures = screen.locator('dd, p, li').filter({ hasText: 'US$' });
    expect(await figures.count()).toBeGreaterThan(5);
    for (const figure of await figures.all()) {
      const seen = await visualText(figure);
      expect(seen).toContain('US$');
      expect(seen).not.toContain('$US');
    }
  }));

/**
 * A loopback proxy in front of the platform that keeps every answer the app got through it
 * (JSON, the snapshot's NDJSON lines, each server-sent event's data), read as values.
 */
function recordingProxy(target: string): Promise<{ server: Server; url: string; answers: () => unknown[] }> {
  const upstream = new URL(target);
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        const index = bodies.push('') - 1;
        answer.on('data', (piece: Buffer) => {
          bodies[index] += piece.toString('utf8');
          res.write(piece);
        });
        answer.on('end', () => res.end());
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  const values = (text: string): unknown[] =>
    text
      .split('\n')
      .map((line) => line.replace(/^data: /, '').trim())
      .filter((line) => line.startsWith('{') || line.startsWith('['))
      .map((line) => JSON.parse(line) as unknown);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        server,
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        answers: () => bodies.flatMap(values),
      }),
    ),
  );
}

test.describe('in English', () => {
  test.use({ locale: 'en-US' });

  test('item 4: a manager without view earnings sees no money anywhere, and the platform sends them none', ({ app }) =>
    inScenario(app, { timeout: 180_000 }, async (scenario, { page, host }) => {
      const { api, creator } = scenario;
      // An accepted message and a payout, so there are earnings the platform could have sent.
      const [first] = scenario.messages;
      await api.ok('accept', { token: creator.token, params: { messageId: first?.id ?? '' }, body: {} });
      await api.ok('requestPayout', {
        token: creator.token,
        params: { inboxId: creator.inboxId },
        body: { amount: { minor: 500, currency: 'USD' } },
      });
      // addManager grants accept, refund and reply, not view_earnings.
      const manager = await addManager(scenario, 'Sara Okafor');
      const proxy = await recordingProxy(scenario.platform.url);
      try {
        await page.goto(host.url);
        await page.getByLabel('Platform address').fill(proxy.url);
        await page.getByLabel('Email').fill(manager.email);
        await page.getByLabel('Password').fill(manager.password);
        await page.getByRole('button', { name: 'Connect' }).click();
        await expect(messageList(page)).toBeVisible({ timeout: 30_000 });
        await waitForRows(page, 2);
        const noEarnings = async (where: Locator) => {
          const text = await where.innerText();
          for (const word of ['earn', 'Platform fee', 'receive', 'held', 'Held', 'net', 'Lifetime', 'available']) {
            expect(text, `${word} in ${text}`).not.toContain(word);
          }
        };

        // Rows: the price the fan paid, nothing of what the creator keeps.
        await expect(focusedRow(page).locator('.row-price')).toHaveText('$25.00');
        await noEarnings(messageList(page));
        await noEarnings(page.getByRole('navigation').first());
        await expect(page.locator('.at-risk')).toHaveCount(0);

        // The message pane: Price, and no fee or "you earn" line.
        const moneyLine = page.locator('.money-line');
        await expect(moneyLine).toContainText('Price');
        await expect(moneyLine).toContainText('$25.00');
        await expect(moneyLine.locator('dt')).toHaveText(['Price']);
        await noEarnings(page.locator('#pane-title').locator('xpath=ancestor::*[contains(@class,"pane")][1]'));

        // The bulk bar: the count and the prices' total, no earnings.
        await messageList(page).focus();
        await page.keyboard.press('x');
        await page.keyboard.press('Shift+J');
        const bar = page.getByRole('region', { name: 'Selected messages' });
        await expect(bar).toContainText('2 selected · $50.00');
        await noEarnings(bar);
        await page.keyboard.press('Escape');

        // Earnings, and the inbox settings with their fee preview, are closed to them: no figure at all.
        const unavailable = page.getByText('This screen is not open to you in this inbox.');
        for (const screen of ['earnings', 'inbox-settings']) {
          await page.evaluate(
            ({ inboxId, screen }) => {
              location.hash = `#/${screen}/${inboxId}`;
            },
            { inboxId: creator.inboxId, screen },
          );
          await expect(unavailable).toBeVisible({ timeout: 30_000 });
          await expect(page.locator('.earnings, .fee-preview')).toHaveCount(0);
          await expect(page.locator('section.screen')).not.toContainText('$');
        }

        // The team screen (open to every member): limits are prices; no held or at-risk money.
        await page.evaluate((inboxId) => {
          location.hash = `#/team/${inboxId}`;
        }, creator.inboxId);
        await expect(page.getByText('Sara Okafor').first()).toBeVisible({ timeout: 30_000 });
        await noEarnings(page.locator('section.screen'));

        // And the platform sent none of it: every answer the app got, feed, snapshot and events included.
        const answers = proxy.answers();
        expect(answers.length).toBeGreaterThan(5);
        expect(answers.flatMap((answer) => earningsIn(answer))).toEqual([]);
        const prices = answers.flatMap((a) => JSON.stringify(a).match(/"price":\{"minor":2500/g) ?? []);
        expect(prices.length).toBeGreaterThan(0);
      } finally {
        proxy.server.closeAllConnections();
        await new Promise((resolve) => proxy.server.close(resolve));
      }
    }));
});
