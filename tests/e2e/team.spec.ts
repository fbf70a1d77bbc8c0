import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PERMISSIONS } from '../../shared/protocol';
import { expect, test } from './fixtures';
import {
  addManager,
  focusedRow,
  inScenario,
  messageList,
  openNotices,
  presenceLine,
  presenceSays,
  rows,
  withTwoManagers,
} from './inbox-helpers';

/** The English labels the team screen shows (JSON is read, not imported: the specs run as plain ESM). */
const en = JSON.parse(readFileSync(join(import.meta.dirname, '../../renderer/i18n/en.json'), 'utf8')) as Record<
  string,
  string
>;

test('two managers of one inbox: presence appears and clears, both accept at once and one wins, a revoked manager loses the inbox', ({
  browser,
  host,
}) =>
  withTwoManagers(browser, host.url, async ({ scenario, a, b, sara, badr, target }) => {
    // Both have the first message open: each sees the other on it.
    await expect(presenceLine(b)).toHaveText(presenceSays('Sara Okafor', 'viewing'), { timeout: 30_000 });
    await expect(presenceLine(a)).toHaveText(presenceSays('Badr Haddad', 'viewing'), { timeout: 30_000 });
    // The list row shows it too: her avatar on the message, named for screen readers.
    const onRow = b.locator(`#msg-${target.id} .row-presence [role="img"]`);
    await expect(onRow).toHaveAttribute('aria-label', presenceSays('Sara Okafor', 'viewing'));
    // Sara starts writing: Badr sees her replying; she moves on: it clears from this message.
    await a.keyboard.press('Shift+A');
    await expect(presenceLine(b)).toHaveText(presenceSays('Sara Okafor', 'replying'));
    await expect(onRow).toHaveAttribute('aria-label', presenceSays('Sara Okafor', 'replying'));
    await a.keyboard.press('Escape');
    await expect(presenceLine(b)).toHaveText(presenceSays('Sara Okafor', 'viewing'));
    await messageList(a).focus();
    await a.keyboard.press('j');
    await expect(focusedRow(a)).not.toHaveAttribute('id', `msg-${target.id}`);
    await expect(presenceLine(b)).toHaveText('', { timeout: 30_000 });
    await expect(onRow).toHaveCount(0);
    await a.keyboard.press('k');
    await expect(focusedRow(a)).toHaveAttribute('id', `msg-${target.id}`);

    // Both accept the same message at once: exactly one capture, and the other hears who won.
    await messageList(a).focus();
    await messageList(b).focus();
    await Promise.all([a.keyboard.press('a'), b.keyboard.press('a')]);
    await expect(a.locator(`#msg-${target.id}`)).toHaveCount(0, { timeout: 30_000 });
    await expect(b.locator(`#msg-${target.id}`)).toHaveCount(0, { timeout: 30_000 });
    const { events } = await scenario.api.ok('ledger', {
      token: scenario.creator.token,
      params: { inboxId: scenario.creator.inboxId },
    });
    const captures = events.filter((e) => e.messageId === target.id && e.kind === 'capture');
    expect(captures).toHaveLength(1);
    const winner = captures[0]?.actorId === sara.id ? 'Sara Okafor' : 'Badr Haddad';
    const loserPage = winner === 'Sara Okafor' ? b : a;
    // Both meant to accept: the one who came second hears it was done as meant, by whom (#12) —
    // not a conflict.
    const notice = (await openNotices(loserPage)).locator('li[data-code="same_outcome"]');
    await expect(notice).toContainText(winner, { timeout: 30_000 });
    await expect(notice).toContainText('is accepted, as you meant');
    await expect(notice).not.toHaveClass(/notice-conflict/);
    await scenario.api.checkInvariants();

    // The owner revokes Badr: his device forgets the inbox at once.
    await scenario.api.ok('revokeMember', {
      token: scenario.creator.token,
      params: { inboxId: scenario.creator.inboxId, userId: badr.id },
    });
    await expect(rows(b)).toHaveCount(0, { timeout: 30_000 });
    await expect(await openNotices(b)).toContainText('Your access to Nour Creator ended', {
      timeout: 30_000,
    });
    await expect(b.getByRole('button', { name: 'Team' })).toHaveCount(0);
    // Sara keeps working.
    await expect(rows(a)).toHaveCount(2);
  }));

test('the owner changes the price with a live fee preview, invites a manager and reads the audit log', ({ app }) =>
  inScenario(app, { timeout: 120_000, rows: 3 }, async (scenario, { page }) => {
    await page.getByRole('button', { name: 'Inbox settings' }).click();
    const settings = page.getByRole('region', { name: 'Inbox settings', exact: true });
    await settings.getByLabel('Price').fill('40');
    await expect(settings.getByTestId('preview-pays')).toHaveText('$40.00');
    await expect(settings.getByTestId('preview-nets')).toHaveText('$36.00');
    await settings.getByLabel('Response window (hours)').fill('0');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await expect(settings).toContainText('Between 1 hour and 30 days');
    await settings.getByLabel('Response window (hours)').fill('48');
    await settings.getByLabel('Pause new paid messages').check();
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await expect
      .poll(
        async () =>
          scenario.api.ok('getSettings', {
            token: scenario.creator.token,
            params: { inboxId: scenario.creator.inboxId },
          }),
        { timeout: 30_000 },
      )
      .toMatchObject({ price: { minor: 4_000 }, responseWindowMs: 48 * 3_600_000, paused: true });
    await page.keyboard.press('Escape');

    const invitee = await scenario.api.signUpFan({ displayName: 'Mona Invitee' });
    await page.getByRole('button', { name: 'Team', exact: true }).click();
    const team = page.getByRole('region', { name: 'Team', exact: true });
    await team.getByLabel('Email address').fill(invitee.email);
    await team.getByRole('button', { name: 'Send invitation' }).click();
    await expect(team).toContainText(invitee.email);
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Audit log' }).click();
    const audit = page.getByRole('region', { name: 'Audit log', exact: true });
    // Newest first: this device's change, by the owner, naming what changed.
    const change = audit.locator('tr[data-action="settings.update"]').first();
    await expect(change).toContainText('price, responseWindowMs, paused', { timeout: 30_000 });
    await expect(change).toContainText('Nour Creator');
    await expect(change).toContainText('(browser)');
    await expect(audit.locator('tr[data-action="team.invite"]')).toHaveCount(1, { timeout: 30_000 });
    await audit.getByLabel('What').selectOption('team');
    await expect(audit.locator('tr[data-action="settings.update"]')).toHaveCount(0);
    const download = page.waitForEvent('download');
    await audit.getByRole('button', { name: 'Export CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^audit-.+\.csv$/);
  }));

test('from the team screen the owner grants a manager every permission the platform knows and sets her money limits; the platform has them', ({
  app,
}) =>
  inScenario(app, { timeout: 180_000, rows: 3 }, async (scenario, { page }) => {
    const { api, creator } = scenario;
    // Sara joins with accept, refund and reply; the rest of the shared list is granted here.
    const sara = await addManager(scenario, 'Sara Okafor');
    await page.getByRole('button', { name: 'Team', exact: true }).click();
    const team = page.getByRole('region', { name: 'Team', exact: true });
    const member = team.locator(`tr[data-member="${sara.email}"]`);
    await expect(member.getByRole('checkbox')).toHaveCount(PERMISSIONS.length, { timeout: 30_000 });
    for (const permission of PERMISSIONS) {
      const box = member.getByRole('checkbox', { name: en[`team.permission.${permission}`], exact: true });
      // One change at a time: each is saved and read back before the next is made from it.
      if (!(await box.isChecked())) await box.click();
      await expect(box).toBeChecked({ timeout: 30_000 });
    }
    await expect
      .poll(
        async () => {
          const members = await api.ok('members', { token: creator.token, params: { inboxId: creator.inboxId } });
          return [...(members.members.find((m) => m.userId === sara.id)?.permissions ?? [])].sort();
        },
        { timeout: 30_000 },
      )
      .toEqual([...PERMISSIONS].sort());

    // Her money limits: a line under her name, edited in a row that opens beneath it.
    const limits = member.locator('.member-limits');
    await expect(limits).toContainText('Money limits: none');
    await limits.getByRole('button', { name: 'Edit limits' }).click();
    const form = team.getByRole('form', { name: 'Money limits of \u2068Sara Okafor\u2069' });
    await expect(form.getByLabel('Largest price to accept or refund (USD)')).toBeFocused();
    await form.getByLabel('Largest price to accept or refund (USD)').fill('10');
    await form.getByLabel('Refunds in any 24 hours (USD)').fill('50');
    await form.getByRole('button', { name: 'Save limits' }).click();
    await expect(form).toHaveCount(0, { timeout: 30_000 });
    await expect(limits).toContainText(
      'Money limits: up to \u2068$10.00\u2069 a message · \u2068$50.00\u2069 refunds a day',
      {
        timeout: 30_000,
      },
    );
    const saved = await api.ok('members', { token: creator.token, params: { inboxId: creator.inboxId } });
    expect(saved.members.find((m) => m.userId === sara.id)?.limits).toEqual({
      maxPrice: { minor: 1_000, currency: 'USD' },
      dailyRefund: { minor: 5_000, currency: 'USD' },
    });
  }));
