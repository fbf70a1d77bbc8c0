import * as ToggleGroup from '@radix-ui/react-toggle-group';
import type React from 'react';

/**
 * A segmented control (period, density) on Radix's toggle group: one value always chosen,
 * arrow keys move between segments in the reading direction.
 */
export function Segmented<T extends string>({
  value,
  options,
  onChange,
  label,
  className,
  iconOnly = false,
}: {
  value: T;
  options: {
    value: T;
    label: string;
    icon?: React.ReactNode /** The label's own language, when not the UI's. */;
    lang?: string;
  }[];
  /** Show only the icons; each segment keeps its label as its accessible name and tooltip. */
  iconOnly?: boolean;
  onChange(value: T): void;
  label: string;
  className?: string;
}) {
  return (
    <ToggleGroup.Root
      type="single"
      className={className ? `segmented ${className}` : 'segmented'}
      value={value}
      aria-label={label}
      onValueChange={(next) => {
        if (next) onChange(next as T);
      }}
    >
      {options.map((o) => (
        <ToggleGroup.Item
          key={o.value}
          value={o.value}
          className={iconOnly ? 'segment segment-icon' : 'segment'}
          aria-label={iconOnly ? o.label : undefined}
          title={iconOnly ? o.label : undefined}
          lang={o.lang}
        >
          {o.icon}
          {iconOnly ? null : o.label}
        </ToggleGroup.Item>
      ))}
    </ToggleGroup.Root>
  );
}
