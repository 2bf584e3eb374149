// The server's log levels, for the whole server and per module: an operator
// turns up one module's detail (routing=debug) or quietens a noisy one without
// touching the rest, and a mistyped setting stops the server with the reason.
import { describe, expect, it } from 'vitest';
import { createServerLogger, lineLogger, parseLogLevels } from '../../server/logging';

function captured() {
  const lines: string[] = [];
  return {
    destination: { write: (line: string) => void lines.push(line) },
    records: () =>
      lines.map((line) => JSON.parse(line) as { level: number; module?: string; msg: string }),
  };
}

describe('LOG_LEVEL', () => {
  it('reads a default level and module=level pairs', () => {
    expect(parseLogLevels(undefined)).toEqual({ ok: true, value: { level: 'info', modules: {} } });
    expect(parseLogLevels('warn')).toEqual({ ok: true, value: { level: 'warn', modules: {} } });
    expect(parseLogLevels('info, routing=debug, socket adapter = error')).toEqual({
      ok: true,
      value: { level: 'info', modules: { routing: 'debug', 'socket adapter': 'error' } },
    });
    // Module pairs alone keep the default at info.
    expect(parseLogLevels('history=silent')).toEqual({
      ok: true,
      value: { level: 'info', modules: { history: 'silent' } },
    });
  });

  it('says what is wrong with a setting it cannot read', () => {
    for (const [text, says] of [
      ['loud', '"loud" is neither a level'],
      ['info,routing=chatty', '"chatty" for routing is not one of'],
      ['routing=debug,info', '"info" is neither a level'],
      ['info;routing=debug', 'is neither a level'],
    ] as const) {
      const parsed = parseLogLevels(text);
      expect(parsed.ok, text).toBe(false);
      if (!parsed.ok) expect(parsed.error.message).toContain(says);
    }
  });
});

describe('module lines', () => {
  it('are logged at the level their module asks for, each under its own module', () => {
    const out = captured();
    const levels = parseLogLevels('info,routing=debug,socket adapter=error');
    if (!levels.ok) throw new Error(levels.error.message);
    const logger = createServerLogger({ level: levels.value.level, destination: out.destination });
    const log = lineLogger(logger, levels.value);

    log('routing: offer 7 considered', 'debug');
    log('history: indexing batch 3', 'debug');
    log('socket adapter: a slow NOTIFY', 'warn');
    log('socket adapter: the connection broke', 'error');
    log('history: cannot index search text yet', 'warn');
    log('created demo accounts');

    expect(out.records().map(({ level, module, msg }) => [level, module, msg])).toEqual([
      [20, 'routing', 'routing: offer 7 considered'],
      [50, 'socket adapter', 'socket adapter: the connection broke'],
      [40, 'history', 'history: cannot index search text yet'],
      [30, undefined, 'created demo accounts'],
    ]);
  });
});
