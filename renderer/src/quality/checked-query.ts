// A section that shows the server's answer to a query the reader edits: the
// query is checked on the desk first (a bad range says why without asking),
// and the answer to the query last asked for is kept until the next arrives.
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { Result, ResultError } from '../../../shared/result';

export function useCheckedQuery<Q, T>(
  desk: DeskBridge,
  /** Defined outside the component, so it is the same function on every render. */
  load: (desk: DeskBridge, query: Q) => Promise<Result<T>>,
  schema: z.ZodType<Q>,
  first: () => Q,
): {
  answer: T | null;
  problem: ResultError | null;
  /** Asks for `input` once it passes the schema; otherwise shows the first reason it does not. */
  ask(input: unknown): void;
} {
  const [asked, setAsked] = useState(first);
  const [answer, setAnswer] = useState<T | null>(null);
  const [problem, setProblem] = useState<ResultError | null>(null);

  useEffect(() => {
    let current = true;
    void load(desk, asked).then((answered) => {
      if (!current) return;
      if (answered.ok) {
        setAnswer(answered.value);
        setProblem(null);
      } else setProblem(answered.error);
    });
    return () => {
      current = false;
    };
  }, [desk, load, asked]);

  const ask = (input: unknown) => {
    const checked = schema.safeParse(input);
    if (checked.success) setAsked(checked.data);
    else
      setProblem({
        code: 'invalid_input',
        message: checked.error.issues[0]?.message ?? 'Check the dates',
      });
  };
  return { answer, problem, ask };
}
