// One item's answer as radio buttons: yes, no (and N/A where the item takes
// it), or each point of a scale with its words, so reviewers read the scale
// the same way. Arrow keys move within the group, as radio buttons do.
import type { FormItem } from '../../../shared/quality/form';
import { notApplicable, type AnswerValue } from '../../../shared/quality/scoring';

interface Choice {
  value: AnswerValue;
  label: string;
}

export function choicesFor(item: FormItem): Choice[] {
  const choices: Choice[] =
    item.answer.kind === 'yes_no'
      ? [
          { value: 'yes', label: 'Yes' },
          { value: 'no', label: 'No' },
        ]
      : Array.from({ length: item.answer.max - item.answer.min + 1 }, (_, offset) => {
          const value = (item.answer.kind === 'scale' ? item.answer.min : 0) + offset;
          const words =
            item.answer.kind === 'scale'
              ? item.answer.labels.find((held) => held.value === value)?.label
              : undefined;
          return { value, label: words ? `${value}: ${words}` : String(value) };
        });
  if (item.answer.notApplicableAllowed) choices.push({ value: notApplicable, label: 'N/A' });
  return choices;
}

export function AnswerControl({
  item,
  name,
  value,
  onChange,
  invalid,
}: {
  item: FormItem;
  /** Unique on the page: the radio group's name. */
  name: string;
  value: AnswerValue | null;
  onChange: (value: AnswerValue) => void;
  invalid?: boolean;
}) {
  const scale = item.answer.kind === 'scale';
  return (
    <div className={`answer-choices${scale ? ' answer-choices--scale' : ''}`}>
      {choicesFor(item).map((choice) => (
        <label key={String(choice.value)} className="answer-choice">
          <input
            type="radio"
            name={name}
            value={String(choice.value)}
            checked={value === choice.value}
            aria-invalid={invalid ? true : undefined}
            onChange={() => onChange(choice.value)}
          />
          <span>{choice.label}</span>
        </label>
      ))}
    </div>
  );
}
