// A from-and-to pair of date fields, the last day included: the range every
// report and trend on the desk is asked for in. Ids come from the form's own
// prefix, so two ranges on one screen never share a label's target.
export function DateRangeFields({
  idPrefix,
  fromLabel,
  from,
  to,
  onFrom,
  onTo,
}: {
  idPrefix: string;
  /** What the range is of: "Interactions completed from", "Sessions started from". */
  fromLabel: string;
  from: string;
  to: string;
  onFrom: (date: string) => void;
  onTo: (date: string) => void;
}) {
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-from`}>{fromLabel}</label>
        <input
          id={`${idPrefix}-from`}
          type="date"
          value={from}
          onChange={(event) => onFrom(event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-to`}>to (included)</label>
        <input
          id={`${idPrefix}-to`}
          type="date"
          value={to}
          onChange={(event) => onTo(event.target.value)}
        />
      </div>
    </>
  );
}
