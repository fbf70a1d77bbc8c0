import type { ReactNode } from 'react';

/** What happened and what to do next, instead of a blank area. */
export function EmptyState({
  icon,
  title,
  body,
  action,
  tone = 'neutral',
}: {
  icon?: ReactNode;
  title: string;
  body?: ReactNode;
  action?: ReactNode;
  tone?: 'neutral' | 'error';
}) {
  return (
    <div className={`empty-state empty-${tone}`}>
      {icon ? (
        <span className="empty-icon" aria-hidden="true">
          {icon}
        </span>
      ) : null}
      <p className="empty-title" role={tone === 'error' ? 'alert' : undefined}>
        {title}
      </p>
      {body ? <p className="empty-body">{body}</p> : null}
      {action ? <div className="empty-action">{action}</div> : null}
    </div>
  );
}

/** Grey bars in the shape of list rows while the first page loads. */
export function SkeletonRows({ count = 12 }: { count?: number }) {
  return (
    <div className="skeleton-rows" aria-hidden="true">
      {Array.from({ length: count }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity.
        <div key={i} className="skeleton-row">
          <span className="skeleton skeleton-avatar" />
          <span className="skeleton skeleton-line" style={{ inlineSize: `${30 + ((i * 37) % 40)}%` }} />
          <span className="skeleton skeleton-amount" />
        </div>
      ))}
    </div>
  );
}

/** A thin bar for "how far along": exports, syncing, time left. */
export function ProgressBar({
  value,
  max,
  label,
  valueText,
  tone = 'accent',
}: {
  value: number;
  max: number;
  label: string;
  valueText?: string;
  tone?: 'accent' | 'held' | 'due' | 'risk';
}) {
  const share = max > 0 ? Math.min(1, Math.max(0, value / max)) : 0;
  return (
    <div
      className={`progress progress-${tone}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value}
      aria-valuetext={valueText}
    >
      <span className="progress-fill" style={{ inlineSize: `${share * 100}%` }} />
    </div>
  );
}
