// "Edit article" from the article view: the form filled from the desk's copy,
// then word that the edit waits for review. The copy's version travels with the
// edit, so a change published on the server meanwhile reaches the reviewer as a
// conflict to compare, never a silent overwrite.
import { useEffect, useRef, useState } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { KnowledgeArticle } from '../../../shared/knowledge/article';
import { ArticleForm } from './ArticleForm';
import { formFromArticle } from './article-form';

export interface ArticleEditorProps {
  desk: DeskBridge;
  article: KnowledgeArticle;
  onClose: () => void;
}

export function ArticleEditor({ desk, article, onClose }: ArticleEditorProps) {
  const [sent, setSent] = useState<{ title: string } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
  }, [sent]);

  return (
    <section className="knowledge__article article-editor" aria-label="Edit article">
      <h3 ref={heading} tabIndex={-1}>
        {sent ? 'Edit sent for review' : `Edit “${article.title}”`}
      </h3>
      {sent ? (
        <>
          <p role="status">
            Your edit of “{sent.title}” is saved on this desk and queued for review. It reaches the
            central server as soon as the desk is connected; search shows the published copy until a
            team leader or knowledge editor approves it.
          </p>
          <button type="button" className="button" onClick={onClose}>
            Back to the article
          </button>
        </>
      ) : (
        <ArticleForm
          desk={desk}
          mode="edit"
          initial={formFromArticle(article)}
          baseVersion={article.version}
          onSubmitted={(draft) => setSent(draft)}
          onCancel={onClose}
        />
      )}
    </section>
  );
}
