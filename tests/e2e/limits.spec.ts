import { expect, test } from './fixtures';
import {
  addManager,
  connectApp,
  focusedRow,
  messageList,
  openNotices,
  startScenario,
  waitForRows,
} from './inbox-helpers';

test('a manager over their money limit is warned before acting, and the platform refuses naming the limit', async ({
  page,
  host,
}) => {
  test.setTimeout(180_000);
  const scenario = await startScenario();
  try {
    const { api, creator } = scenario;
    const sara = await addManager(scenario, 'Sara Okafor');
    // Every message costs $25.00; Sara may decide up to $10.00.
    await api.ok('setLimits', {
      token: creator.token,
      params: { inboxId: creator.inboxId, userId: sara.id },
      body: { maxPrice: { minor: 1_000, currency: 'USD' }, dailyRefund: null },
    });
    await connectApp(page, host.url, scenario, sara);
    await waitForRows(page, 3);
    const target = scenario.messages[0];
    if (!target) throw new Error('no message');
    await expect(focusedRow(page)).toHaveAttribute('id', `msg-${target.id}`);
    const warning = page.locator('[data-limit-warning="max_price"]');
    await expect(warning).toHaveText(
      'Over your limit: you may accept or refund messages up to \u2068$10.00\u2069; this one is \u2068$25.00\u2069. The platform will refuse it — ask the owner.',
      { timeout: 30_000 },
    );

    // She accepts anyway: the platform refuses, the app says why, and the message stays pending.
    await messageList(page).focus();
    await page.keyboard.press('a');
    const notices = await openNotices(page);
    // The action is a phrase of the sentence ("Your acceptance of …"), not the outbox's "Accept" heading.
    await expect(notices).toContainText(
      /Your acceptance of \u2068[^\u2069]+\u2069’s \u2068\$25\.00\u2069 message was not applied: it passes your limit of \u2068\$10\.00\u2069 a message \(this one is \u2068\$25\.00\u2069\)\./,
      { timeout: 60_000 },
    );
    expect(await api.messageStatus(scenario.fans[0] ?? sara, target.id)).toBe('pending');

    // The owner's team screen shows the limit.
    const team = await api.ok('members', { token: creator.token, params: { inboxId: creator.inboxId } });
    expect(team.members.find((m) => m.userId === sara.id)?.limits?.maxPrice).toEqual({ minor: 1_000, currency: 'USD' });
  } finally {
    await scenario.close();
  }
});
