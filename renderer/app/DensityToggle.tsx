import { Rows3, Rows4 } from 'lucide-react';
import { useT } from '../i18n/I18n';
import { type Density, usePrefs } from '../state/prefs';
import { Segmented } from '../ui/Segmented';

/** Compact (one line per message) or comfortable (two lines), kept per device. */
export function DensityToggle() {
  const t = useT();
  const density = usePrefs((s) => s.density);
  return (
    <Segmented<Density>
      label={t('density.label')}
      value={density}
      onChange={(d) => usePrefs.getState().setDensity(d)}
      options={[
        { value: 'compact', label: t('density.compact'), icon: <Rows4 size={14} aria-hidden="true" /> },
        { value: 'comfortable', label: t('density.comfortable'), icon: <Rows3 size={14} aria-hidden="true" /> },
      ]}
      iconOnly
    />
  );
}
