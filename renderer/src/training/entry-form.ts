// The training entry form's words and checks: tags are typed as one line,
// separated by commas, and checked by the same schema the server uses.
import {
  trainingEntryInputSchema,
  type TrainingEntry,
  type TrainingEntryFields,
} from '../../../shared/wire/training';

export interface EntryForm {
  title: string;
  description: string;
  tags: string;
}

export const blankEntryForm: EntryForm = { title: '', description: '', tags: '' };

export const entryFormOf = (entry: TrainingEntry): EntryForm => ({
  title: entry.title,
  description: entry.description,
  tags: entry.tags.join(', '),
});

/** Tags as typed: split at commas, blanks dropped. */
export const tagsOf = (typed: string): string[] =>
  typed
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag.length > 0);

export type EntryFormProblems = Partial<Record<keyof EntryForm, string>>;

/** The entry to send, or what is wrong with each field in words. */
export function checkEntryForm(
  form: EntryForm,
): { ok: true; value: TrainingEntryFields } | { ok: false; problems: EntryFormProblems } {
  const parsed = trainingEntryInputSchema.safeParse({
    title: form.title,
    description: form.description,
    tags: tagsOf(form.tags),
  });
  if (parsed.success) return { ok: true, value: parsed.data };
  const problems: EntryFormProblems = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if (field === 'title' || field === 'description' || field === 'tags') {
      problems[field] ??=
        field === 'tags' && issue.path.length > 1
          ? `Tag “${tagsOf(form.tags)[Number(issue.path[1])] ?? ''}”: ${issue.message}`
          : issue.message;
    }
  }
  return { ok: false, problems };
}
