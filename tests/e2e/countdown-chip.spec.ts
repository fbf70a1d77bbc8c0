import { expect, test } from './fixtures';
import { connectApp, inScenario, messageList, setResponseWindow, waitForRows } from './inbox-helpers';
import { lookAt, showIn, VIEWPORTS } from './looks';

/**
 * Under two hours a countdown says hours AND minutes, in both languages and at both sizes:
 * in a narrow Arabic list the chip's second unit once yielded to make room, so 1 h 59 m
 * read "ساعة" ("an hour"). The chip must still lie inside its row.
 */
test('a countdown under two hours shows its hours and minutes in every language and size, inside the row', ({ app }) =>
  inScenario(app, { timeout: 300_000, messages: [] }, async (scenario, { page, host }) => {
    const { api, creator, fans } = scenario;
    // A two-hour window: every new message has 1 h 59 m left.
    await setResponseWindow(scenario, 2 * 3_600_000);
    for (const [i, body] of ['Can you wish my mum a happy birthday?', 'هل يمكنك أن ترسل تحية لأخي؟'].entries()) {
      scenario.messages.push(await api.sendPaidMessage(fans[i] ?? creator, creator, body, { fund: true }));
    }
    await connectApp(page, host.url, scenario);
    await waitForRows(page, 2);

    const words = { en: { hours: /1h/, minutes: /5\dm/ }, ar: { hours: /ساعة/, minutes: /دقيقة/ } } as const;
    for (const locale of ['ar', 'en'] as const) {
      for (const viewport of VIEWPORTS) {
        for (const theme of ['light', 'dark'] as const) {
          await showIn(page, locale, theme, viewport);
          await waitForRows(page, 2);
          await expect(page.locator('html')).toHaveAttribute('lang', locale);
          const chips = await messageList(page)
            .getByRole('option')
            .evaluateAll((rows) =>
              rows.map((row) => {
                const chip = row.querySelector<HTMLElement>('.row-status [aria-hidden="true"]');
                const r = row.getBoundingClientRect();
                const c = chip?.getBoundingClientRect();
                return {
                  // biome-ignore lint/performance/useDomNodeTextContent: innerText leaves out what CSS hides (a yielded unit).
                  shown: chip?.innerText ?? '',
                  inside: c !== undefined && c.left >= r.left - 0.5 && c.right <= r.right + 0.5,
                };
              }),
            );
          const variant = `${theme}-${locale}-${viewport.width}`;
          for (const chip of chips) {
            expect(chip.shown, `${variant}: the chip shows hours`).toMatch(words[locale].hours);
            expect(chip.shown, `${variant}: the chip shows minutes`).toMatch(words[locale].minutes);
            expect(chip.inside, `${variant}: "${chip.shown}" inside its row`).toBe(true);
          }
          await lookAt(page, 'countdown-under-2h', variant);
        }
      }
    }
  }));
