// Result envelopes over HTTP: every answer, error or not, is an envelope, and
// an error's status follows from its stable code.
import type { Response } from 'express';
import type { ErrorCode, Result } from '../../shared/result';

export const statusOfError: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

export function sendResult<T>(response: Response, result: Result<T>, successStatus = 200): void {
  if (result.ok) response.status(successStatus).json(result);
  else response.status(statusOfError[result.error.code]).json(result);
}
