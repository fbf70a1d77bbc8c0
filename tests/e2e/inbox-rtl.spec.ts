import { expect, test } from './fixtures';
import { inScenario, messageList, waitForRows } from './inbox-helpers';

test.use({ locale: 'ar-EG' });

test('Arabic follows the OS language: right-to-left layout, Arabic plurals, money and dates through Intl', ({ app }) =>
  inScenario(app, { timeout: 120_000 }, async (scenario, { page, host }) => {
    await page.goto(host.url);
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
    await expect(page.getByRole('heading', { name: 'مرحبًا بك في صندوق المبدع' })).toBeVisible();
    await page.getByLabel('عنوان المنصة').fill(scenario.platform.url);
    await page.getByLabel('البريد الإلكتروني').fill(scenario.creator.email);
    await page.getByLabel('كلمة المرور').fill(scenario.creator.password);
    await page.getByRole('button', { name: 'اتصال' }).click();
    await expect(messageList(page)).toBeVisible({ timeout: 30_000 });
    await waitForRows(page, 3);

    // The sidebar sits on the right and the message pane on the left.
    const sidebar = await page.getByRole('navigation').boundingBox();
    const pane = await page.locator('#message-pane').boundingBox();
    expect(sidebar && pane && sidebar.x > pane.x).toBe(true);

    // Arabic's plural forms: three messages is "few".
    await expect(page.getByRole('heading', { name: /المعلّقة حسب الموعد: .* رسائل/ })).toBeVisible();
    // Money formatted by Intl for Arabic (not the English "$25.00"), currency shown.
    // (The currency symbol sits in its own isolate so it stays whole right to left; see triage-money.spec.ts.)
    const price = (await page.locator('.row-price').first().textContent())?.replace(/[\u2066-\u2069]/g, '');
    const arabicIntl = await page.evaluate(() =>
      new Intl.NumberFormat('ar', { style: 'currency', currency: 'USD', minimumFractionDigits: 2 }).format(25),
    );
    expect(price).toBe(arabicIntl);
    expect(price).not.toBe('$25.00');
    // An English preview inside Arabic UI keeps its own direction.
    await expect(page.locator('.row-preview').first()).toHaveAttribute('dir', 'auto');

    // Switch to English in Settings: the layout flips back.
    await page.getByRole('button', { name: 'الإعدادات' }).click();
    await page.getByRole('radio', { name: 'English' }).check();
    await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
    await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
    await page.getByRole('radiogroup', { name: 'Language' }).getByRole('radio', { name: 'Follow the system' }).check();
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  }));
