import type { Page } from '@playwright/test';
import type { TestUser } from '../helpers/server';
import { expect, test } from './fixtures';
import {
  connectApp,
  focusedRow,
  inScenario,
  messageList,
  type Scenario,
  secondHost,
  startScenario,
  statusOnPlatform,
  waitForRows,
} from './inbox-helpers';
import { lookAt, saveScreenshot, showIn, VIEWPORTS } from './looks';

/**
 * Drafts a creator approves (issue 17), in two browser contexts on two devices (two browser
 * hosts, each with its own core and data folder) against one real platform: a manager with
 * only `draft` writes the answer while the platform is unreachable; back online, the creator
 * approves it with one key — one capture on the platform's ledger, one reply in the creator's
 * name for the fan — and sends another back with a comment that the manager then reads.
 */

async function addDrafter(scenario: Scenario, displayName: string): Promise<TestUser> {
  const { api, creator } = scenario;
  const user = await api.signUpFan({ displayName });
  const invitation = await api.ok('invite', {
    token: creator.token,
    params: { inboxId: creator.inboxId },
    body: { email: user.email, permissions: ['draft'] },
  });
  await api.ok('acceptInvitation', {
    token: user.token,
    params: { invitationId: invitation.id },
    body: { code: invitation.code },
  });
  return user;
}

/** Focuses a message's row in the list and writes a draft for it through the D key. */
async function draftFor(page: Page, messageId: string, text: string) {
  await messageList(page).focus();
  for (let i = 0; i < 5 && (await focusedRow(page).getAttribute('id')) !== `msg-${messageId}`; i++) {
    await page.keyboard.press('j');
  }
  await expect(focusedRow(page)).toHaveAttribute('id', `msg-${messageId}`);
  await page.keyboard.press('d');
  const box = page.getByRole('textbox', { name: 'Draft a reply for approval' });
  await expect(box).toBeFocused();
  await box.fill(text);
  await page.getByRole('button', { name: 'Submit for approval' }).click();
}

/** Sara drafts `bodies` for the scenario's first messages; the creator opens the Drafts screen. */
async function creatorWithDrafts(page: Page, hostUrl: string, scenario: Scenario, bodies: readonly string[]) {
  const { api, creator } = scenario;
  const sara = await addDrafter(scenario, 'Sara Okafor');
  for (const [i, body] of bodies.entries()) {
    const message = scenario.messages[i];
    if (!message) throw new Error('scenario without messages');
    await api.ok('submitDraft', { token: sara.token, params: { messageId: message.id }, body: { body } });
  }
  await page.addInitScript(() => localStorage.setItem('creator-inbox.tour', 'done'));
  await connectApp(page, hostUrl, scenario, creator);
  await waitForRows(page, 3);
  await goDrafts(page);
  await expect(page.locator('.draft-card')).toHaveCount(bodies.length, { timeout: 30_000 });
}

async function goDrafts(page: Page) {
  await messageList(page).focus();
  await page.keyboard.press('g');
  await page.keyboard.press('d');
  await expect(page.getByRole('heading', { name: 'Drafts to approve', level: 2 })).toBeVisible();
}

test('a manager drafts offline, the creator approves with one key (one capture, the fan sees only the creator) and sends one back with a comment', async ({
  browser,
  host,
}) => {
  test.setTimeout(240_000);
  const scenario = await startScenario();
  const creatorHost = await secondHost();
  const managerContext = await browser.newContext();
  const creatorContext = await browser.newContext();
  try {
    const { api, creator } = scenario;
    const sara = await addDrafter(scenario, 'Sara Okafor');
    const [first, second] = scenario.messages;
    if (!first || !second) throw new Error('scenario without messages');
    const manager = await managerContext.newPage();
    const owner = await creatorContext.newPage();
    await manager.addInitScript(() => localStorage.setItem('creator-inbox.tour', 'done'));
    await owner.addInitScript(() => localStorage.setItem('creator-inbox.tour', 'done'));
    await connectApp(manager, host.url, scenario, sara);
    await connectApp(owner, creatorHost.url, scenario, creator);
    await waitForRows(manager, 3);
    await waitForRows(owner, 3);

    // Offline: the draft waits in the manager's outbox, and says so on the Drafts screen.
    await scenario.stop();
    await draftFor(manager, first.id, 'Nour says: happy birthday to your sister! 🎂');
    await goDrafts(manager);
    await expect(manager.locator('[data-draft-state="pending"]').first()).toContainText(
      'Waiting to reach the platform',
    );
    await scenario.restart();

    // Back online, the creator sees it first (it expires first) and approves with A.
    await goDrafts(owner);
    const card = owner.locator('.draft-card').first();
    await expect(card).toContainText('Nour says: happy birthday to your sister!', { timeout: 60_000 });
    await expect(card).toContainText('Drafted by \u2068Sara Okafor\u2069');
    await expect(card).toContainText('Expires first');
    await card.focus();
    await owner.keyboard.press('a');
    await expect(owner.locator('.draft-card', { hasText: 'happy birthday' })).toHaveCount(0);

    // After the undo window: one capture, and the fan's thread has one reply, the creator's.
    await expect
      .poll(async () => api.messageStatus(scenario.fans[0] as TestUser, first.id), { timeout: 60_000 })
      .toBe('accepted');
    const { events } = await api.ok('ledger', { token: creator.token, params: { inboxId: creator.inboxId } });
    expect(events.filter((e) => e.messageId === first.id && e.kind === 'capture')).toHaveLength(1);
    const fanView = await api.ok('myMessages', { token: (scenario.fans[0] as TestUser).token });
    expect(fanView.replies.filter((r) => r.messageId === first.id).map((r) => [r.authorName, r.body])).toEqual([
      ['Nour Creator', 'Nour says: happy birthday to your sister! 🎂'],
    ]);
    // A second approval is refused by the platform.
    expect((await api.accept(creator, first.id, 'again')).status).toBe(409);

    // The manager sees it approved, by whom.
    await expect(manager.locator('[data-draft-state="approved"]')).toContainText(
      'Approved by \u2068Nour Creator\u2069',
      {
        timeout: 60_000,
      },
    );

    // Send-back: a second draft, sent back with B and a comment the manager then reads.
    await manager.keyboard.press('Escape');
    await draftFor(manager, second.id, 'Sure, hi to your brother!');
    const next = owner.locator('.draft-card', { hasText: 'hi to your brother' });
    await expect(next).toBeVisible({ timeout: 60_000 });
    await next.focus();
    await owner.keyboard.press('b');
    await owner.getByLabel('Comment for the author').fill('Please use his name: Karim');
    await owner.getByRole('button', { name: 'Send back', exact: true }).click();
    await expect(next).toHaveCount(0, { timeout: 30_000 });
    await goDrafts(manager);
    const back = manager.locator('[data-draft-state="sent_back"]');
    await expect(back).toContainText('Sent back by \u2068Nour Creator\u2069', { timeout: 60_000 });
    await expect(back).toContainText('Please use his name: Karim');
    expect(await api.messageStatus(scenario.fans[1] as TestUser, second.id)).toBe('pending');
    await api.checkInvariants();
  } finally {
    await managerContext.close();
    await creatorContext.close();
    await creatorHost.stop();
    await scenario.close();
  }
});

test('a sentence typed at the Drafts screen approves nothing; A pressed on its own approves', ({ app }) =>
  inScenario(app, { timeout: 240_000 }, async (scenario, { page, host }) => {
    const message = scenario.messages[0];
    if (!message) throw new Error('scenario without messages');
    await creatorWithDrafts(page, host.url, scenario, ['Thank you!']);
    const card = page.locator('.draft-card', { hasText: 'Thank you!' });
    await card.focus();
    // Someone who believes a text box is open types; A (approve = a capture), E and B are in it.
    await page.keyboard.type('and a big thank you', { delay: 40 });
    await page.waitForTimeout(6_000);
    await expect(card).toBeVisible();
    await expect(page.locator('.draft-edit')).toHaveCount(0);
    expect(await statusOnPlatform(scenario, message.id)).toBe('pending');
    // A deliberate A still approves.
    await card.focus();
    await page.keyboard.press('a');
    await expect(card).toHaveCount(0);
    await expect.poll(() => statusOnPlatform(scenario, message.id), { timeout: 60_000 }).toBe('accepted');
  }));

test('the Drafts screen in English and Arabic, light and dark, at 1280 and 1024: no serious axe finding', async ({
  page,
  host,
}) => {
  test.setTimeout(480_000);
  const scenario = await startScenario();
  try {
    await creatorWithDrafts(page, host.url, scenario, [
      'Happy birthday to your sister! Nour recorded a short video for her — check your messages tomorrow.',
      'شكرًا على رسالتك! سأرسل تحية لأخيك في عيد ميلاده.',
    ]);
    for (const locale of ['en', 'ar'] as const) {
      for (const theme of ['light', 'dark'] as const) {
        for (const viewport of VIEWPORTS) {
          await showIn(page, locale, theme, viewport);
          await expect(page.locator('.draft-card')).toHaveCount(2, { timeout: 30_000 });
          await expect(page.locator('html')).toHaveAttribute('dir', locale === 'ar' ? 'rtl' : 'ltr');
          const variant = `${theme}-${locale}-${viewport.width}`;
          // axe at the larger size only: under this machine's load one run takes up to a minute.
          if (viewport.width === 1280) await lookAt(page, 'drafts', variant, '.drafts-screen');
          else await saveScreenshot(page, 'drafts', variant);
        }
      }
    }
  } finally {
    await scenario.close();
  }
});
