import { avatarTone } from './Avatar';

/**
 * A label's colour as a small dot, keyed on its name the way avatars key on a person: the
 * same label has the same colour in the rail, in every list row and on every run. Dense
 * rows show dots instead of chips so the preview keeps its room (Linear's dense lists);
 * the label's name stays in the row's text for screen readers and in the tooltip.
 */
export function LabelDot({ label }: { label: string }) {
  return <span className={`label-dot avatar-tone-${avatarTone(label)}`} aria-hidden="true" />;
}
