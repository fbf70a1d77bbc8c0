import { useQueryClient } from '@tanstack/react-query';
import { Gift, Tag, Undo2 } from 'lucide-react';
import { useId, useState } from 'react';
import type { Thread } from '../../../shared/contract';
import { MoneyError, parseMoney } from '../../../shared/money';
import type { FanTerms as Terms } from '../../../shared/protocol';
import { getBridge } from '../../bridge';
import { amountInText } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/I18n';
import { useUi } from '../../state/ui';
import { Amount } from '../../ui/Amount';
import { announce } from '../../ui/announce';
import { untrustedPlain } from '../../ui/SafeText';

/** What is being asked before it is sent: each change to a fan's terms is confirmed first. */
type Proposal = { terms: Terms | null; question: string };

/**
 * The fan card's terms (#18): what this fan pays (a free pass, a personal price, or the
 * inbox's tiers) and, for the owner or a member with `manage_fans`, giving or taking back a
 * free pass or a personal price. Every change is confirmed, then sent online: the platform
 * checks the permission again and writes it to the audit log.
 */
export function FanTerms({ thread, canManage }: { thread: Thread; canManage: boolean }) {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const client = useQueryClient();
  const accountId = useUi((s) => s.accountId);
  const { fan } = thread;
  const currency = thread.message.price.currency;
  const [priceText, setPriceText] = useState('');
  const [editingPrice, setEditingPrice] = useState(false);
  const [proposal, setProposal] = useState<Proposal | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const current = fan.terms;
  const termsText = (terms: Terms | null) =>
    terms === null
      ? t('fan.terms.none')
      : terms.kind === 'free'
        ? t('fan.terms.free')
        : t('fan.terms.price', { price: amountInText(terms.price, locale) });

  const proposePrice = () => {
    setFailure(null);
    let price: ReturnType<typeof parseMoney> | null = null;
    try {
      price = parseMoney(priceText, currency, locale);
    } catch (error) {
      if (!(error instanceof MoneyError)) throw error;
    }
    // Nothing is asked or sent for a price that is not one: the field keeps what was typed.
    if (!price || price.minor <= 0) {
      setFailure(t('fan.terms.priceInvalid'));
      return;
    }
    setProposal({
      terms: { kind: 'price', price: { minor: price.minor, currency: price.currency } },
      question: t('fan.terms.confirmPrice', {
        name: untrustedPlain(fan.displayName),
        price: amountInText(price, locale),
      }),
    });
  };

  const send = async (next: Proposal) => {
    setBusy(true);
    setFailure(null);
    try {
      await getBridge().call('fans.setTerms', {
        accountId: accountId ?? '',
        inboxId: thread.message.inboxId,
        fanId: fan.id,
        terms: next.terms,
      });
      announce(t('fan.terms.saved', { terms: termsText(next.terms) }));
      setProposal(null);
      setEditingPrice(false);
      setPriceText('');
      await client.invalidateQueries({ queryKey: ['thread'] });
    } catch (error) {
      setFailure(t('fan.terms.failed', { reason: error instanceof Error ? error.message : String(error) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="fan-terms" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>{t('fan.terms')}</h4>
      <p className="fan-terms-now" data-terms={current?.kind ?? 'tiers'}>
        {current?.kind === 'free' ? <Gift size={14} aria-hidden="true" /> : null}
        {current?.kind === 'price' ? (
          <>
            <Tag size={14} aria-hidden="true" /> {t('fan.terms.priceLabel')}{' '}
            <Amount value={current.price} locale={locale} />
          </>
        ) : (
          termsText(current)
        )}
      </p>
      {canManage && proposal === null ? (
        <div className="inline-actions fan-terms-actions">
          {current?.kind !== 'free' ? (
            <button
              type="button"
              onClick={() =>
                setProposal({
                  terms: { kind: 'free' },
                  question: t('fan.terms.confirmFree', { name: untrustedPlain(fan.displayName) }),
                })
              }
            >
              <Gift size={14} aria-hidden="true" />
              {t('fan.terms.giveFree')}
            </button>
          ) : null}
          {editingPrice ? null : (
            <button type="button" onClick={() => setEditingPrice(true)}>
              <Tag size={14} aria-hidden="true" />
              {t('fan.terms.setPrice')}
            </button>
          )}
          {current !== null ? (
            <button
              type="button"
              onClick={() =>
                setProposal({
                  terms: null,
                  question: t('fan.terms.confirmRevoke', {
                    name: untrustedPlain(fan.displayName),
                    terms: termsText(current),
                  }),
                })
              }
            >
              <Undo2 size={14} aria-hidden="true" className="flip-rtl" />
              {t('fan.terms.revoke')}
            </button>
          ) : null}
        </div>
      ) : null}
      {canManage && editingPrice && proposal === null ? (
        <form
          className="fan-terms-price"
          onSubmit={(e) => {
            e.preventDefault();
            proposePrice();
          }}
        >
          <label htmlFor={`${id}-price`}>{t('fan.terms.priceInput', { currency })}</label>
          <input
            id={`${id}-price`}
            inputMode="decimal"
            value={priceText}
            onChange={(e) => setPriceText(e.target.value)}
          />
          <span className="inline-actions">
            <button type="submit" className="primary">
              {t('fan.terms.next')}
            </button>
            <button type="button" onClick={() => setEditingPrice(false)}>
              {t('common.cancel')}
            </button>
          </span>
        </form>
      ) : null}
      {proposal ? (
        <fieldset className="fan-terms-confirm" aria-labelledby={`${id}-question`}>
          <p id={`${id}-question`}>{proposal.question}</p>
          <span className="inline-actions">
            <button type="button" className="primary" disabled={busy} onClick={() => void send(proposal)}>
              {t('fan.terms.confirm')}
            </button>
            <button type="button" disabled={busy} onClick={() => setProposal(null)}>
              {t('common.cancel')}
            </button>
          </span>
        </fieldset>
      ) : null}
      {failure ? <p role="alert">{failure}</p> : null}
    </section>
  );
}
