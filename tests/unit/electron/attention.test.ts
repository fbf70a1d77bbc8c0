import { describe, expect, it } from 'vitest';
import { badgeLabel, planNotices, readAttention } from '../../../electron/main/attention';
import { MAIN_STRINGS } from '../../../electron/main/strings';
import { money } from '../../../shared/money';
import { recordingHandlers } from './fake-handlers';

const usd = (minor: number) => money(minor, 'USD');
const eur = (minor: number) => money(minor, 'EUR');

describe('badge, tray and notifications planning (pure module, no Electron binary)', () => {
  it('labels the badge, capping at 99+', () => {
    expect(badgeLabel(0)).toBe('');
    expect(badgeLabel(7)).toBe('7');
    expect(badgeLabel(150)).toBe('99+');
  });

  it('announces new paid messages only when the pending count grows after the first look', () => {
    const en = MAIN_STRINGS.en;
    expect(planNotices(null, { pending: 4, atRisk: [] }, en, 'en')).toEqual([]);
    expect(planNotices({ pending: 4, atRisk: [] }, { pending: 6, atRisk: [] }, en, 'en')).toEqual([
      { kind: 'new_paid', title: 'New paid message', body: 'Fans sent you 2 paid messages.' },
    ]);
    expect(planNotices({ pending: 6, atRisk: [] }, { pending: 5, atRisk: [] }, en, 'en')).toEqual([]);
  });

  it('warns about money about to be refunded when the amount at risk grows, with its currency', () => {
    const notices = planNotices(
      { pending: 3, atRisk: [usd(2500)] },
      { pending: 3, atRisk: [usd(2500), eur(1000)] },
      MAIN_STRINGS.en,
      'en',
    );
    expect(notices).toHaveLength(1);
    expect(notices[0]?.kind).toBe('expiring');
    expect(notices[0]?.body).toContain('$25.00');
    expect(notices[0]?.body).toContain('€10.00');
    expect(
      planNotices({ pending: 3, atRisk: [usd(2500)] }, { pending: 3, atRisk: [usd(2500)] }, MAIN_STRINGS.en, 'en'),
    ).toEqual([]);
  });

  it('speaks Arabic, with Arabic plural forms', () => {
    const [notice] = planNotices({ pending: 0, atRisk: [] }, { pending: 2, atRisk: [] }, MAIN_STRINGS.ar, 'ar');
    expect(notice?.title).toBe('رسالة مدفوعة جديدة');
    expect(notice?.body).toContain('رسالتان');
  });

  it('adds pending counts and money at risk across accounts, per currency', async () => {
    const views = (pending: number) => [
      { view: 'pending', label: null, count: pending, held: [] },
      { view: 'accepted', label: null, count: 99, held: [] },
    ];
    const { handlers } = recordingHandlers({
      'accounts.list': () => [{ id: 'a' }, { id: 'b' }],
      'inbox.counts': (input) =>
        (input as { accountId: string }).accountId === 'a'
          ? { views: views(3), atRisk24h: [usd(1000)] }
          : { views: views(2), atRisk24h: [usd(500), eur(700)] },
    });
    const snapshot = await readAttention(handlers);
    expect(snapshot.pending).toBe(5);
    expect(snapshot.atRisk).toEqual(expect.arrayContaining([usd(1500), eur(700)]));
    expect(snapshot.atRisk).toHaveLength(2);
  });
});
