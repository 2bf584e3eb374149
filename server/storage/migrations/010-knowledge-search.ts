// Full-text search over the knowledge network on the server, in each engine's
// own search: FTS5 on SQLite, a tsvector with a GIN index on PostgreSQL. Only
// the current published copy of each article is indexed (title and body), and
// articles already held are indexed here, so a server upgraded with its
// articles finds them at once.
//
// Triggers on knowledge_articles keep the index in step, not the store: the
// index is derived from that table's rows, and a trigger updates it in the same
// statement as every write of them, whoever writes (the store, a later
// migration, an operator's repair), so the two can never drift apart. The
// store's write path stays one portable query; only the search differs.
import { schemaChange, type ServerMigration } from './types';

export const knowledgeSearchMigration: ServerMigration = {
  version: 10,
  name: 'knowledge-search',
  up: schemaChange({
    sqlite: `
      -- One row per published article; its rowid is the article's current version
      -- (unique, and never renumbered, unlike knowledge_articles' own rowid, which
      -- VACUUM may change). The desk's tokenizer: porter stemming, accents folded.
      CREATE VIRTUAL TABLE knowledge_search USING fts5(
        title, body,
        tokenize = 'porter unicode61 remove_diacritics 2'
      );

      CREATE TRIGGER knowledge_articles_search_insert AFTER INSERT ON knowledge_articles
      WHEN new.status = 'published' BEGIN
        INSERT INTO knowledge_search (rowid, title, body)
          SELECT new.version, new.title, coalesce(json_extract(v.content_json, '$.body'), '')
          FROM knowledge_article_versions v WHERE v.version = new.version;
      END;

      -- The store's upsert fires this (not the insert trigger) when the article is held.
      CREATE TRIGGER knowledge_articles_search_update AFTER UPDATE ON knowledge_articles BEGIN
        DELETE FROM knowledge_search WHERE rowid = old.version;
        INSERT INTO knowledge_search (rowid, title, body)
          SELECT new.version, new.title, coalesce(json_extract(v.content_json, '$.body'), '')
          FROM knowledge_article_versions v
          WHERE v.version = new.version AND new.status = 'published';
      END;

      CREATE TRIGGER knowledge_articles_search_delete AFTER DELETE ON knowledge_articles BEGIN
        DELETE FROM knowledge_search WHERE rowid = old.version;
      END;

      INSERT INTO knowledge_search (rowid, title, body)
        SELECT a.version, a.title, coalesce(json_extract(v.content_json, '$.body'), '')
        FROM knowledge_articles a JOIN knowledge_article_versions v ON v.version = a.version
        WHERE a.status = 'published';
    `,
    postgres: `
      -- The title weighs more than the body in the ranking. English stemming.
      CREATE FUNCTION knowledge_search_document(title text, body text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN setweight(to_tsvector('english', title), 'A')
          || setweight(to_tsvector('english', coalesce(body, '')), 'B');

      -- Null for a retired article, so it is never found.
      ALTER TABLE knowledge_articles ADD COLUMN search_document tsvector;

      CREATE FUNCTION knowledge_articles_search() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = 'published' THEN
          SELECT knowledge_search_document(NEW.title, v.content_json::jsonb ->> 'body')
            INTO NEW.search_document
            FROM knowledge_article_versions v WHERE v.version = NEW.version;
        ELSE
          NEW.search_document := NULL;
        END IF;
        RETURN NEW;
      END
      $$;

      CREATE TRIGGER knowledge_articles_search
        BEFORE INSERT OR UPDATE OF version, status, title ON knowledge_articles
        FOR EACH ROW EXECUTE FUNCTION knowledge_articles_search();

      UPDATE knowledge_articles a
        SET search_document = knowledge_search_document(a.title, v.content_json::jsonb ->> 'body')
        FROM knowledge_article_versions v
        WHERE v.version = a.version AND a.status = 'published';

      CREATE INDEX knowledge_articles_search ON knowledge_articles USING gin (search_document);
    `,
  }),
};
