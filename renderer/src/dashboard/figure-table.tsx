// One table of dashboard figures: a caption, headed columns, each number a
// link to the interactions behind it where there are any, and a CSV export of
// exactly what the table shows.
import type { ReactNode } from 'react';
import { drillHash, type DrillDown } from '../history/drill-down';
import { downloadCsv, type CsvCell } from './csv';

export interface FigureCell {
  /** As shown; the CSV takes `csv` when given (a plain number rather than "45.5%"). */
  text: string;
  csv?: CsvCell;
  /** The history's filters for the interactions behind it; absent where there are none. */
  drill?: DrillDown;
}

export interface FigureColumn<Row> {
  header: string;
  cell(row: Row): FigureCell;
  /** The row's own name (a period, an adviser): a row header, not a number. */
  rowHeader?: boolean;
}

export function FigureTable<Row>({
  caption,
  columns,
  rows,
  csvName,
  rowKey,
  note,
}: {
  caption: string;
  columns: readonly FigureColumn<Row>[];
  rows: readonly Row[];
  csvName: string;
  rowKey(row: Row): string;
  note?: ReactNode;
}) {
  const exportCsv = () =>
    downloadCsv(csvName, {
      headers: columns.map((column) => column.header),
      rows: rows.map((row) =>
        columns.map((column) => {
          const value = column.cell(row);
          return value.csv !== undefined ? value.csv : value.text;
        }),
      ),
    });
  return (
    <div className="figure-table">
      <div className="figure-table__scroll" tabIndex={0} role="region" aria-label={caption}>
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column.header} scope="col">
                  {column.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((column) => {
                  const value = column.cell(row);
                  const content = value.drill ? (
                    <a href={drillHash(value.drill)}>{value.text}</a>
                  ) : (
                    value.text
                  );
                  return column.rowHeader ? (
                    <th key={column.header} scope="row">
                      {content}
                    </th>
                  ) : (
                    <td key={column.header}>{content}</td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="figure-table__foot">
        {note && <p className="figure-table__note">{note}</p>}
        <button type="button" className="button" onClick={exportCsv}>
          Export CSV<span className="visually-hidden">: {caption}</span>
        </button>
      </div>
    </div>
  );
}
