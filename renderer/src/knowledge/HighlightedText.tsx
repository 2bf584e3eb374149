// A run of search text with the matched words marked. The segments are data
// from the desk's search; each becomes a text node or a <mark>, so nothing an
// article says can ever be read as markup.
import { Fragment } from 'react';
import type { HighlightedText as Segments } from '../../../shared/knowledge/article';

export function HighlightedText({ segments }: { segments: Segments }) {
  return (
    <>
      {segments.map((segment, index) =>
        segment.match ? (
          <mark key={index} className="knowledge__match">
            {segment.text}
          </mark>
        ) : (
          <Fragment key={index}>{segment.text}</Fragment>
        ),
      )}
    </>
  );
}
