// Which migrations a database still needs: the one rule both of the product's
// migration runners follow (the central server's, on SQLite or PostgreSQL, and
// the desk's local SQLite). Versions rise but may leave gaps, so two branches
// can each add one without renumbering; the migrations a database has had must
// be a prefix of the known list, or the runner refuses rather than guess.

export interface MigrationName {
  version: number;
  /** Recorded beside the version, so a renamed or swapped migration is noticed. */
  name: string;
}

export class MigrationMismatchError extends Error {
  override name = 'MigrationMismatchError';
}

/** Checks the known list itself, so a bad edit fails at start-up rather than on some database. */
export function checkKnownMigrations(known: readonly MigrationName[]): void {
  const names = new Set<string>();
  known.forEach((migration, index) => {
    const before = known[index - 1];
    if (!Number.isInteger(migration.version) || migration.version < 1) {
      throw new MigrationMismatchError(
        `Migration ${migration.name} has version ${migration.version}; versions are whole numbers from 1`,
      );
    }
    if (before && migration.version <= before.version) {
      throw new MigrationMismatchError(
        `Migration list is out of order: ${migration.version} (${migration.name}) follows ${before.version} (${before.name})`,
      );
    }
    if (names.has(migration.name)) {
      throw new MigrationMismatchError(`Two migrations are named ${migration.name}`);
    }
    names.add(migration.name);
  });
}

/**
 * The known migrations a database with `applied` (in version order) still
 * needs, in order. Throws MigrationMismatchError when `applied` is not a
 * prefix of `known`: a database written by a newer build, or by a branch with
 * different migrations. `what` names the database in the message.
 */
export function pendingMigrations<M extends MigrationName>(
  applied: readonly MigrationName[],
  known: readonly M[],
  what = 'The database',
): M[] {
  checkKnownMigrations(known);
  applied.forEach((row, index) => {
    const expected = known[index];
    if (!expected) {
      throw new MigrationMismatchError(
        `${what} has migration ${row.version} (${row.name}), which this build does not know: ` +
          'it was written by a newer version. Start that version, or use another data folder.',
      );
    }
    if (row.version !== expected.version || row.name !== expected.name) {
      throw new MigrationMismatchError(
        `${what}'s migration history does not match this build: it has ${row.version} (${row.name}) ` +
          `where this build expects ${expected.version} (${expected.name}). Refusing to start rather than guess.`,
      );
    }
  });
  return known.slice(applied.length);
}
