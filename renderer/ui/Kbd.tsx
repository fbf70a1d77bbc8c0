import { bindingsFor, type Command, describeBinding, isMac } from '../state/keymap';

/** The first key of a command, written the way the shortcut sheet writes it. */
export function KeyHint({
  command,
  className,
  spoken = false,
}: {
  command: Command;
  className?: string;
  /** Read out by screen readers too (where the key is the content, as in the key tour). */
  spoken?: boolean;
}) {
  const binding = bindingsFor(command)[0];
  if (!binding) return null;
  return (
    <span className={className ? `kbd ${className}` : 'kbd'} aria-hidden={spoken ? undefined : true}>
      {describeBinding(binding, isMac(navigator.platform)).join(' ')}
    </span>
  );
}
