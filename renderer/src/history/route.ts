// Where the desk is, as a hash route, so a replay at a moment can be linked to
// and the browser's Back returns from a replay to the list:
//   #/history                 the history area (Find)
//   #/history?from=...&...    Find with a dashboard figure's filters (drillHash)
//   #/dashboard               the service dashboard (team leaders)
//   #/history/<id>            one interaction's replay, from its first moment
//   #/history/<id>?at=12      ...at moment 12 (the 13th journal event)
//   #/history/<id>?at=95000ms ...at 95 seconds after the contact was offered
//   #/history/audit           who saw personal data, and why (team leaders)
//   #/training                the training library
//   #/training/<id>?at=...    one library entry's replay, as a history replay's
//   #/quality                 quality reviews (a team leader's to write, an adviser's own)
//   #/quality/<id>?at=...     one review beside its interaction's replay
//   #/quality/sample          the weekly sample (team leaders)
//   #/quality/calibration     calibration sessions, and one: #/quality/calibration/<id>
//   #/quality/reports         quality reports (team leaders)
//   #/quality/forms           scorecard forms and their editor (team leaders)
// Anything else is the live desk. The hash never holds the launch key past start-up
// (bridge.ts moves it out), so a copied link carries no secret.
import { useSyncExternalStore } from 'react';
import { parseDrillDown, type DrillDown } from './drill-down';

export type ReplayAt = { kind: 'moment'; index: number } | { kind: 'offset'; ms: number };

export type DeskRoute =
  | { area: 'desk' }
  | { area: 'history'; view: 'find'; drill?: DrillDown }
  | { area: 'dashboard' }
  | { area: 'history'; view: 'audit' }
  | { area: 'history'; view: 'replay'; id: string; at: ReplayAt | null }
  | { area: 'training'; view: 'library' }
  | { area: 'training'; view: 'replay'; id: string; at: ReplayAt | null }
  | { area: 'quality'; view: 'reviews' }
  | { area: 'quality'; view: 'review'; id: string; at: ReplayAt | null }
  | { area: 'quality'; view: 'sample' }
  | { area: 'quality'; view: 'calibration' }
  | { area: 'quality'; view: 'session'; id: string }
  | { area: 'quality'; view: 'reports' }
  | { area: 'quality'; view: 'forms' };

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseAt(value: string | null): ReplayAt | null {
  if (value === null) return null;
  const offset = /^(\d{1,10})ms$/.exec(value);
  if (offset) return { kind: 'offset', ms: Number(offset[1]) };
  if (/^\d{1,6}$/.test(value)) return { kind: 'moment', index: Number(value) };
  return null;
}

function parseQuality(parts: readonly string[], query: string): DeskRoute {
  const [, first = '', second = ''] = parts;
  if (parts.length === 2 && uuid.test(first)) {
    return {
      area: 'quality',
      view: 'review',
      id: first.toLowerCase(),
      at: parseAt(new URLSearchParams(query).get('at')),
    };
  }
  if (parts.length === 2 && first === 'sample') return { area: 'quality', view: 'sample' };
  if (parts.length === 2 && first === 'reports') return { area: 'quality', view: 'reports' };
  if (parts.length === 2 && first === 'forms') return { area: 'quality', view: 'forms' };
  if (first === 'calibration') {
    if (parts.length === 3 && uuid.test(second)) {
      return { area: 'quality', view: 'session', id: second.toLowerCase() };
    }
    return { area: 'quality', view: 'calibration' };
  }
  return { area: 'quality', view: 'reviews' };
}

export function parseRoute(hash: string): DeskRoute {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?', 2);
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'quality') return parseQuality(parts, query);
  if (parts[0] === 'training') {
    const id = parts[1] ?? '';
    if (parts.length === 2 && uuid.test(id)) {
      return {
        area: 'training',
        view: 'replay',
        id: id.toLowerCase(),
        at: parseAt(new URLSearchParams(query).get('at')),
      };
    }
    return { area: 'training', view: 'library' };
  }
  if (parts[0] === 'dashboard') return { area: 'dashboard' };
  if (parts[0] !== 'history') return { area: 'desk' };
  if (parts.length === 1) {
    const drill = parseDrillDown(query);
    return drill ? { area: 'history', view: 'find', drill } : { area: 'history', view: 'find' };
  }
  if (parts.length === 2 && parts[1] === 'audit') return { area: 'history', view: 'audit' };
  const id = parts[1] ?? '';
  if (parts.length === 2 && uuid.test(id)) {
    return {
      area: 'history',
      view: 'replay',
      id: id.toLowerCase(),
      at: parseAt(new URLSearchParams(query).get('at')),
    };
  }
  return { area: 'history', view: 'find' };
}

export const findHash = '#/history';
export const auditHash = '#/history/audit';
export const deskHash = '#/';

export const libraryHash = '#/training';
export const dashboardHash = '#/dashboard';

const withAt = (base: string, at?: ReplayAt) =>
  at ? `${base}?at=${at.kind === 'moment' ? String(at.index) : `${Math.round(at.ms)}ms`}` : base;

export function replayHash(id: string, at?: ReplayAt): string {
  return withAt(`#/history/${encodeURIComponent(id)}`, at);
}

/** A training-library entry's replay, which shows its bookmarks and notes. */
export function trainingHash(id: string, at?: ReplayAt): string {
  return withAt(`#/training/${encodeURIComponent(id)}`, at);
}

export const qualityHash = '#/quality';
export const sampleHash = '#/quality/sample';
export const calibrationHash = '#/quality/calibration';
export const reportsHash = '#/quality/reports';
export const formsHash = '#/quality/forms';

/** A review beside its interaction's replay. */
export function reviewHash(id: string, at?: ReplayAt): string {
  return withAt(`#/quality/${encodeURIComponent(id)}`, at);
}

export function sessionHash(id: string): string {
  return `#/quality/calibration/${encodeURIComponent(id)}`;
}

/** A full address for a hash route: what "Copy link" copies. */
export function routeAddress(
  hash: string,
  location: Pick<Location, 'origin' | 'pathname'>,
): string {
  return `${location.origin}${location.pathname}${hash}`;
}

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};
const currentHash = () => window.location.hash;

/** The route, kept current as the hash changes (links, Back and Forward). */
export function useDeskRoute(): DeskRoute {
  const hash = useSyncExternalStore(subscribe, currentHash, () => '');
  return parseRoute(hash);
}

export function goTo(hash: string): void {
  if (window.location.hash !== hash) window.location.hash = hash;
}

/** Moves within a replay without a history entry per step: Back leaves the replay. */
export function replaceRoute(hash: string): void {
  if (window.location.hash === hash) return;
  window.history.replaceState(window.history.state, '', hash);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}
