import { singleLine } from './text';

/**
 * A person as a small round badge: their initials on a colour picked from their id, so the
 * same fan or teammate has the same colour on every screen and every run. Every tint/text
 * pair in ui/primitives.css passes WCAG AA in both themes.
 */
export const AVATAR_TONES = 8;

/** A stable tone 0..7 from any string (FNV-1a): same input, same colour, everywhere. */
export function avatarTone(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % AVATAR_TONES;
}

/** Up to two letters: first and last word's first letter, in any script. */
export function initials(name: string): string {
  const words = singleLine(name)
    .trim()
    .split(/\s+/u)
    .filter((w) => /\p{L}|\p{N}/u.test(w));
  const first = words[0];
  if (!first) return '?';
  const letter = (w: string) => Array.from(w.replace(/^[^\p{L}\p{N}]+/u, ''))[0] ?? '';
  const last = words.length > 1 ? words[words.length - 1] : undefined;
  return (letter(first) + (last ? letter(last) : '')).toLocaleUpperCase();
}

export function Avatar({
  name,
  id,
  size = 'md',
  label,
}: {
  name: string;
  /** What the colour is keyed on (a person's id); the name when absent. */
  id?: string;
  size?: 'xs' | 'sm' | 'md' | 'lg';
  /** Accessible name when the avatar stands alone (e.g. "Assigned to Sam"); decorative otherwise. */
  label?: string;
}) {
  const className = `avatar avatar-${size} avatar-tone-${avatarTone(id ?? name)}`;
  const letters = <bdi dir="auto">{initials(name)}</bdi>;
  if (label) {
    return (
      <span className={className} role="img" aria-label={label} title={label}>
        {letters}
      </span>
    );
  }
  return (
    <span className={className} aria-hidden="true">
      {letters}
    </span>
  );
}
