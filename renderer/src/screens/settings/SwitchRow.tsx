import type { ReactNode } from 'react';

export interface SwitchRowProps {
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
  /** The visible label; the whole row is the label, so clicking the text toggles the switch. */
  children: ReactNode;
}

/** One on/off setting: a checkbox with the switch role (announced as on/off) and its label, styled by `.switch-row`. */
export function SwitchRow({ checked, onChange, disabled, children }: SwitchRowProps) {
  return (
    <label className="switch-row">
      <input
        type="checkbox"
        role="switch"
        aria-checked={checked}
        checked={checked}
        {...(disabled === undefined ? {} : { disabled })}
        onChange={(e) => onChange(e.target.checked)}
      />
      <span className="switch-label">{children}</span>
    </label>
  );
}
