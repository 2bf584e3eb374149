// The knowledge panel (beside a live interaction, or in the desk's Knowledge
// area) and the article form, found by role and label as a screen reader
// would: the search box, the filters, the results listbox, the article view
// with its actions, and "Edit article"; the review screen's drafts.
import type { Page } from 'playwright-core';

export class KnowledgePage {
  constructor(private readonly page: Page) {}

  panel() {
    return this.page.getByRole('region', { name: 'Knowledge', exact: true });
  }

  searchBox() {
    return this.panel().getByRole('searchbox', { name: 'Search knowledge' });
  }

  /** The panel's sync line: "Knowledge: 197 articles, up to date as of 09:05" and the like. */
  syncStatus() {
    return this.panel().getByText(/^Knowledge: /);
  }

  async waitUntilUpToDate(): Promise<void> {
    await this.panel()
      .getByText(/^Knowledge: \d+ articles?, up to date/)
      .waitFor();
  }

  /** Types as an adviser does, a key at a time, so the search answers as the words grow. */
  async type(text: string): Promise<void> {
    await this.searchBox().fill('');
    await this.searchBox().pressSequentially(text, { delay: 15 });
  }

  results() {
    return this.panel().getByRole('listbox', { name: 'Knowledge results' });
  }

  /** A result by its title: an option is named by all of its text, which starts with the title. */
  result(title: string | RegExp) {
    return this.results().getByRole('option', { name: title });
  }

  /** The results' accessible names, first to last. */
  async resultNames(): Promise<string[]> {
    return this.results().getByRole('option').allInnerTexts();
  }

  /** How many results are wholly on screen, inside the panel's scrolling and the window. */
  async resultsInView(): Promise<number> {
    return this.results()
      .getByRole('option')
      .evaluateAll((options) => {
        // Runs in the page; the test's own types know no DOM.
        interface Box {
          top: number;
          bottom: number;
        }
        interface Node {
          parentElement: Node | null;
          getBoundingClientRect(): Box;
        }
        const page = globalThis as unknown as {
          innerHeight: number;
          getComputedStyle(node: Node): { overflowY: string };
        };
        return (options as unknown as Node[]).filter((option) => {
          const box = option.getBoundingClientRect();
          for (let parent = option.parentElement; parent; parent = parent.parentElement) {
            if (!/(auto|scroll|hidden)/.test(page.getComputedStyle(parent).overflowY)) continue;
            const frame = parent.getBoundingClientRect();
            if (box.top < frame.top - 1 || box.bottom > frame.bottom + 1) return false;
          }
          return box.top >= 0 && box.bottom <= page.innerHeight;
        }).length;
      });
  }

  filtersButton() {
    return this.panel().getByRole('button', { name: /^Filters/ });
  }

  filter(label: 'Topic' | 'Audience' | 'Region' | 'Kind') {
    return this.panel().getByRole('group', { name: 'Filters' }).getByLabel(label);
  }

  /** "Searched for …", shown when the desk corrected the spelling of what was typed. */
  searchedFor() {
    return this.panel().getByText(/^Searched for /);
  }

  articleHeading(title: string | RegExp) {
    return this.panel().getByRole('heading', { level: 3, name: title });
  }

  async open(title: string | RegExp): Promise<void> {
    await this.result(title).click();
    await this.articleHeading(title).waitFor();
  }

  /** The desk's Knowledge area, reached from the desk's navigation with the keyboard. */
  async openAreaByKeyboard(): Promise<void> {
    const link = this.page
      .getByRole('navigation', { name: 'Desk areas' })
      .getByRole('link', { name: 'Knowledge', exact: true });
    await link.focus();
    await this.page.keyboard.press('Enter');
    await this.page.getByRole('heading', { level: 2, name: 'Knowledge network' }).waitFor();
  }

  async addToPlan(): Promise<void> {
    await this.panel().getByRole('button', { name: 'Add to action plan' }).click();
    await this.panel().getByRole('button', { name: 'In the action plan' }).waitFor();
  }

  /** Edits the open article's title and sends the edit for review; resolves once it is queued. */
  async editTitle(title: string, note: string): Promise<void> {
    await this.panel().getByRole('button', { name: 'Edit article' }).click();
    const form = this.panel().getByRole('form', { name: 'Edit article' });
    await form.getByLabel('Title', { exact: true }).fill(title);
    await form.getByLabel('Note for the reviewer').fill(note);
    await form.getByRole('button', { name: 'Send for review' }).click();
    await this.panel().getByRole('heading', { name: 'Edit sent for review' }).waitFor();
  }

  async backToArticle(): Promise<void> {
    await this.panel().getByRole('button', { name: 'Back to the article' }).click();
  }
}

/** "New article" and "Knowledge review", opened from the desk's header over the desk. */
export class KnowledgeAdminPage {
  constructor(private readonly page: Page) {}

  private nav() {
    return this.page.getByRole('navigation', { name: 'Knowledge network' });
  }

  reviewButton() {
    return this.nav().getByRole('button', { name: 'Knowledge review' });
  }

  dialog() {
    return this.page.getByRole('dialog');
  }

  form() {
    return this.dialog().getByRole('form', { name: 'New article' });
  }

  problems() {
    return this.dialog().getByRole('list', { name: 'Problems to fix' });
  }

  async openNewArticle(): Promise<void> {
    await this.nav().getByRole('button', { name: 'New article' }).click();
    await this.dialog().getByRole('heading', { name: 'New article' }).waitFor();
  }

  async openReview(): Promise<void> {
    await this.reviewButton().click();
    await this.dialog().getByRole('heading', { name: 'Knowledge review' }).waitFor();
  }

  /** Fills the form; the id is left to be made from the title unless one is given. */
  async fillNewArticle(article: {
    id?: string;
    title: string;
    summary: string;
    topic: string;
    sources: string;
    body: string;
  }): Promise<void> {
    const form = this.form();
    await form.getByLabel('Title', { exact: true }).fill(article.title);
    if (article.id !== undefined) await form.getByLabel('Article id').fill(article.id);
    await form.getByLabel('Summary').fill(article.summary);
    await form.getByRole('group', { name: 'Topics' }).getByLabel(article.topic).check();
    await form.getByLabel('Sources').fill(article.sources);
    await form.getByLabel('Body (Markdown)').fill(article.body);
  }

  async send(): Promise<void> {
    await this.form().getByRole('button', { name: 'Send for review' }).click();
  }

  /** One draft in the review list, by its proposed title. */
  draft(title: string) {
    return this.dialog().getByRole('article', { name: title });
  }

  async close(): Promise<void> {
    await this.dialog().getByRole('button', { name: 'Close' }).click();
  }
}
