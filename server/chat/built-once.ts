// A statement of the chat's hot path, built with the query builder once and
// then run again and again with new values. Building and compiling a query
// through Kysely took about a sixth of a server process's CPU under live chat
// (every message and receipt built its statement anew), though the text it
// produced never changed: only the values bound to it did. The statement stays
// written, and typed, in the query builder; only its compilation is kept.
import type { CompiledQuery, Compilable } from 'kysely';

/**
 * `build` is called once, on first use, with a stand-in for each named input;
 * each later call binds the inputs given where their stand-ins stood, and
 * every other value `build` bound (a constant such as a status) as it was.
 * Each input must reach the statement as one bound value (an array bound
 * whole, as `unnest` takes it), not spread over several placeholders, and
 * nothing in `build` may depend on an input's contents: it never sees them.
 */
export function builtOnce<Name extends string, Row>(
  names: readonly Name[],
  build: (inputs: Record<Name, unknown[]>) => Compilable<Row>,
): (inputs: Record<Name, unknown[]>) => CompiledQuery<Row> {
  let template: { compiled: CompiledQuery<Row>; slots: (Name | { value: unknown })[] } | null =
    null;
  return (inputs) => {
    if (!template) {
      // Distinct arrays, told apart by identity among the compiled parameters.
      const standIns = new Map<unknown, Name>();
      const placeholders = {} as Record<Name, unknown[]>;
      for (const name of names) {
        const standIn: unknown[] = [];
        standIns.set(standIn, name);
        placeholders[name] = standIn;
      }
      const compiled = build(placeholders).compile();
      const slots = compiled.parameters.map((value) => standIns.get(value) ?? { value });
      for (const name of names) {
        if (!slots.includes(name))
          throw new Error(`builtOnce: input ${name} is not bound as one value`);
      }
      template = { compiled, slots };
    }
    const { compiled, slots } = template;
    return {
      ...compiled,
      parameters: slots.map((slot) => (typeof slot === 'string' ? inputs[slot] : slot.value)),
    };
  };
}
