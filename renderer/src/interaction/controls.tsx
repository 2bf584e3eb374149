// Small form controls for fast keyboard work during a live call: native radio
// groups and checkboxes with labels, and text areas that send every keystroke.
import { useId, type ReactNode } from 'react';

interface RadioGroupProps<T extends string> {
  legend: string;
  options: readonly T[];
  labels: Record<T, string>;
  value: T | null;
  onChange: (value: T) => void;
}

export function RadioGroup<T extends string>({
  legend,
  options,
  labels,
  value,
  onChange,
}: RadioGroupProps<T>) {
  const name = useId();
  return (
    <fieldset className="quick-pick">
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option} className="quick-pick__option">
          <input
            type="radio"
            name={name}
            value={option}
            checked={value === option}
            onChange={() => onChange(option)}
          />
          {labels[option]}
        </label>
      ))}
    </fieldset>
  );
}

export function Checkbox({
  label,
  checked,
  onChange,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label className="quick-pick__option">
      <input
        type="checkbox"
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
      />
      {label}
    </label>
  );
}

/**
 * A text area whose every keystroke reaches the machine at once (React's
 * onChange fires on each input), so a reload loses nothing.
 */
export function NoteArea({
  label,
  value,
  onText,
  rows = 3,
  maxLength,
}: {
  label: string;
  value: string;
  onText: (text: string) => void;
  rows?: number;
  maxLength?: number;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={rows}
        value={value}
        maxLength={maxLength}
        onChange={(event) => onText(event.currentTarget.value)}
      />
    </div>
  );
}

export function TextField({
  label,
  value,
  onText,
  type = 'text',
  hint,
  ...rest
}: {
  label: string;
  value: string;
  onText: (text: string) => void;
  type?: 'text' | 'email' | 'tel' | 'date' | 'time' | 'number';
  hint?: ReactNode;
  min?: string | number;
  max?: string | number;
}) {
  const id = useId();
  const hintId = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={value}
        aria-describedby={hint ? hintId : undefined}
        onChange={(event) => onText(event.currentTarget.value)}
        {...rest}
      />
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
    </div>
  );
}
