// The wrap-up outcome codes setting: the operator's list, read and checked
// once at start-up (a bad file stops the server with a message saying what is
// wrong and where), and served to desks, which cache it so wrap-up works offline.
import { ok, type Result } from '../../shared/result';
import {
  defaultOutcomeCodes,
  outcomeCodeListSchema,
  outcomeCodeProblems,
  type OutcomeCode,
} from '../../shared/interaction/outcome-codes';
import { wrapUp } from '../../shared/wire/routes';
import type { SafeRoutes } from '../http/safe-routes';
import { readSettingsFile } from '../settings-file';

/** A setting the server cannot start with; its message is for the operator. */
export class OutcomeCodeSettingError extends Error {
  override name = 'OutcomeCodeSettingError';
}

/** Checks a list given in code or read from a file; the built-in list when none is given. */
export function checkOutcomeCodes(
  codes: unknown,
  source = 'the outcome codes setting',
): readonly OutcomeCode[] {
  if (codes === undefined) return defaultOutcomeCodes;
  const parsed = outcomeCodeListSchema.safeParse(codes);
  if (!parsed.success) {
    throw new OutcomeCodeSettingError(
      `Wrap-up outcome codes in ${source} cannot be used: ${outcomeCodeProblems(parsed.error)}`,
    );
  }
  return parsed.data;
}

/**
 * Reads the operator's file: a JSON array of `{ "id": "guidance_given",
 * "label": "Guidance given" }`.
 */
export function readOutcomeCodesFile(path: string): Result<readonly OutcomeCode[]> {
  return readSettingsFile(
    path,
    'wrap-up outcome codes',
    outcomeCodeListSchema,
    outcomeCodeProblems,
  );
}

/** Desks fetch the list when they connect; advisers are who choose a code. */
export function registerWrapUpRoutes(routes: SafeRoutes, codes: readonly OutcomeCode[]): void {
  routes.staff(wrapUp.outcomeCodes, 'live.take', (_staff, _input, reply) =>
    reply(ok({ codes: [...codes] })),
  );
}
