import { bindingsFor, type Command, describeBinding, isMac } from '../features/keyboard/keymap';

/** The first key of a command, written the way the shortcut sheet writes it. */
export function KeyHint({ command, className }: { command: Command; className?: string }) {
  const binding = bindingsFor(command)[0];
  if (!binding) return null;
  return (
    <span className={className ? `kbd ${className}` : 'kbd'} aria-hidden="true">
      {describeBinding(binding, isMac(navigator.platform)).join(' ')}
    </span>
  );
}
