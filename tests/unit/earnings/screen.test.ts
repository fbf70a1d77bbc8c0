import { type MessageFormatElement, parse, TYPE } from '@formatjs/icu-messageformat-parser';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { IntlProvider } from 'react-intl';
import { describe, expect, it } from 'vitest';
import { bridgeFromTransport, installBridge } from '../../../renderer/bridge';
import {
  acceptancePercent,
  canRequestPayout,
  canViewEarnings,
  chartPoints,
  formatBucketDate,
  periodSpec,
  type Series,
  type Summary,
} from '../../../renderer/data/earnings';
import { EarningsIntl } from '../../../renderer/features/earnings/EarningsIntl';
import { EarningsScreen } from '../../../renderer/features/earnings/EarningsScreen';
import ar from '../../../renderer/features/earnings/i18n/ar.json';
import en from '../../../renderer/features/earnings/i18n/en.json';
import { SummaryCards } from '../../../renderer/features/earnings/SummaryCards';
import type { Account, BridgeTransport, CallName } from '../../../shared/contract';

function argumentsOf(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type !== TYPE.literal && element.type !== TYPE.pound) into.add(String(element.value));
    if ('options' in element) for (const option of Object.values(element.options)) argumentsOf(option.value, into);
  }
  return into;
}

function pluralForms(elements: MessageFormatElement[]): string[][] {
  return elements.flatMap((e) => (e.type === TYPE.plural ? [Object.keys(e.options)] : []));
}

describe('earnings catalogs', () => {
  it('English and Arabic have the same keys and the same arguments', () => {
    expect(Object.keys(ar).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect([...argumentsOf(parse(ar[key]))].sort(), key).toEqual([...argumentsOf(parse(en[key]))].sort());
    }
  });

  it('Arabic plurals give all six forms', () => {
    for (const [key, text] of Object.entries(ar)) {
      for (const forms of pluralForms(parse(text))) {
        expect(forms.sort(), key).toEqual(['few', 'many', 'one', 'other', 'two', 'zero']);
      }
    }
  });
});

describe('earnings screen model', () => {
  it('only owners and managers with view_earnings see earnings; only owners pay out', () => {
    expect(canViewEarnings({ role: 'owner', permissions: [] })).toBe(true);
    expect(canViewEarnings({ role: 'manager', permissions: ['accept', 'view_earnings'] })).toBe(true);
    expect(canViewEarnings({ role: 'manager', permissions: ['accept', 'refund', 'reply'] })).toBe(false);
    expect(canViewEarnings(undefined)).toBe(false);
    expect(canRequestPayout({ role: 'manager', permissions: ['view_earnings'] })).toBe(false);
  });

  it('acceptance rate never rounds up to 100 % and is absent when nothing was decided', () => {
    expect(acceptancePercent({ accepted: 999, decided: 1000 })).toBe(99);
    expect(acceptancePercent({ accepted: 0, decided: 0 })).toBeNull();
  });

  it('chart rows per currency with the right minor-unit scale, exact minor amounts kept for labels', () => {
    const series: Series = {
      period: { kind: '7d', timeZone: 'UTC', fromDate: '2026-03-01', toDate: '2026-03-02', start: 0, end: 1 },
      granularity: 'day',
      buckets: [
        { key: '2026-03-01', start: 0, end: 1 },
        { key: '2026-03-02', start: 1, end: 2 },
      ],
      currencies: [
        { currency: 'KWD', net: [1005, 0], gross: [1117, 0], accepted: [1, 0] },
        { currency: 'JPY', net: [0, 1200], gross: [0, 1333], accepted: [0, 1] },
      ],
    };
    expect(chartPoints(series, 'KWD').map((p) => [p.net, p.netMinor])).toEqual([
      [1.005, 1005],
      [0, 0],
    ]);
    expect(chartPoints(series, 'JPY').map((p) => p.net)).toEqual([0, 1200]);
    expect(formatBucketDate('2026-03-29', 'en', 'day')).toBe('Mar 29');
    expect(formatBucketDate('2026-03-01', 'ar', 'month')).toMatch(/مارس/);
  });

  it('a custom period needs two dates in order', () => {
    expect(periodSpec('custom', '2026-03-02', '2026-03-01')).toBeNull();
    expect(periodSpec('custom', '', '2026-03-01')).toBeNull();
    expect(periodSpec('custom', '2026-03-01', '2026-03-01')).toEqual({
      kind: 'custom',
      from: '2026-03-01',
      to: '2026-03-01',
    });
    expect(periodSpec('month', '', '')).toEqual({ kind: 'month' });
  });
});

const usd = (minor: number) => ({ minor, currency: 'USD' as const });
const summary: Summary = {
  period: { kind: 'month', timeZone: 'Asia/Riyadh', fromDate: '2026-03-01', toDate: '2026-03-31', start: 0, end: 1 },
  asOf: 0,
  acceptance: { accepted: 1, decided: 2 },
  medianDecisionMs: 90 * 60_000,
  waitingToSync: [],
  currencies: [
    {
      currency: 'USD',
      received: { count: 3, amount: usd(7500) },
      accepted: { count: 1, gross: usd(2500), fee: usd(250), net: usd(2250) },
      refunded: { count: 1, amount: usd(2500) },
      expired: { count: 0, amount: usd(0) },
      paidOut: { count: 0, amount: usd(0) },
      acceptance: { accepted: 1, decided: 2 },
      medianDecisionMs: 90 * 60_000,
      held: { count: 1, amount: usd(2500) },
      expiringSoon: { count: 1, amount: usd(2500) },
      available: usd(2250),
    },
  ],
};

function render(locale: 'en' | 'ar', element: ReturnType<typeof createElement>): string {
  return renderToStaticMarkup(
    createElement(IntlProvider, { locale, messages: {} }, createElement(EarningsIntl, null, element)),
  );
}

describe('earnings screen', () => {
  it('shows every figure of a currency card, formatted in English and in Arabic', () => {
    const english = render('en', createElement(SummaryCards, { summary }));
    for (const text of ['$22.50', '$2.50', '$25.00', '50% (1 of 2)', 'You earned (net)', 'Available balance']) {
      expect(english).toContain(text);
    }
    const arabic = render('ar', createElement(SummaryCards, { summary }));
    expect(arabic).toContain('صافي أرباحك');
    // Arabic digits or Latin ones, as the ICU data in use decides for 'ar'.
    expect(arabic).toMatch(/٢٢٫٥٠|22\.50/);
    expect(arabic).not.toContain('You earned');
  });

  it('counts payouts as payouts, not as messages', () => {
    const usdCard = summary.currencies[0] as Summary['currencies'][number];
    const withPayouts: Summary = {
      ...summary,
      currencies: [{ ...usdCard, paidOut: { count: 2, amount: usd(4000) } }],
    };
    const paidOutRow = (html: string, label: string) =>
      html.match(new RegExp(`<dt>${label}</dt><dd>([^<]*)</dd>`))?.[1];
    expect(paidOutRow(render('en', createElement(SummaryCards, { summary: withPayouts })), 'Paid out')).toMatch(
      /^\u2068?\$40\.00\u2069? · \u2068?2 payouts\u2069?$/,
    );
    const arabic = paidOutRow(
      render('ar', createElement(SummaryCards, { summary: withPayouts })),
      ar['earnings.paidOut'],
    );
    expect(arabic).toContain('سحبان');
    expect(arabic).not.toContain('رسال');
  });

  it('a manager without view_earnings sees no figure, and no earnings call is ever made', () => {
    const calls: CallName[] = [];
    const transport: BridgeTransport = {
      async invoke(name) {
        calls.push(name);
        return { ok: false, error: { code: 'forbidden', message: 'no' } };
      },
      on: () => () => undefined,
    };
    installBridge(bridgeFromTransport(transport));
    try {
      const client = new QueryClient();
      const account: Account = {
        id: 'acc',
        platformUrl: 'http://127.0.0.1:1',
        email: 'm@example.test',
        displayName: 'Manager',
        userId: 'u1',
        kind: 'fan',
        demo: false,
        inboxes: [
          { inboxId: 'in1', handle: 'star', creatorName: 'Star', role: 'manager', permissions: ['accept', 'reply'] },
        ],
      };
      client.setQueryData(['accounts'], [account]);
      const html = renderToStaticMarkup(
        createElement(
          QueryClientProvider,
          { client },
          createElement(
            IntlProvider,
            { locale: 'en', messages: {} },
            createElement(EarningsScreen, { accountId: 'acc', inboxId: 'in1' }),
          ),
        ),
      );
      expect(html).toContain('You do not have access to earnings in this inbox.');
      expect(html).not.toMatch(/\$|Available balance|Export CSV/);
      expect(calls.filter((c) => c.startsWith('earnings.') || c.startsWith('payouts.'))).toEqual([]);
    } finally {
      installBridge(null);
    }
  });
});
