import { useAnnouncements } from './announce';

/** Screen readers hear confirmations and failures here; sighted people see toasts and notices. */
export function LiveRegion() {
  const polite = useAnnouncements((s) => s.polite);
  const assertive = useAnnouncements((s) => s.assertive);
  return (
    <>
      <div className="visually-hidden" role="status" aria-live="polite" data-testid="live-polite">
        <span key={polite.n}>{polite.text}</span>
      </div>
      <div className="visually-hidden" role="alert" aria-live="assertive" data-testid="live-assertive">
        <span key={assertive.n}>{assertive.text}</span>
      </div>
    </>
  );
}
