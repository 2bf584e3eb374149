// The permission policy as the Markdown tables docs/permissions.md shows:
// actions by role, and who may call each route and send each event. A test
// compares them with the document, so the document cannot drift from the code.
import { roleLabels, roles } from '../../shared/domain/people';
import type { DeclaredRoute } from '../http/safe-routes';
import { customerEventAccess, deskEventAccess } from '../socket/event-access';
import { actions, rules } from './policy';

const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const table = (head: string[], rows: string[][]) =>
  [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

export function actionTable(): string {
  return table(
    ['action', ...roles.map((role) => roleLabels[role].toLowerCase())],
    actions.map((action) => [`\`${action}\``, ...roles.map((role) => rules[action][role] ?? '—')]),
  );
}

const accessLabel = (access: string) =>
  access === 'public' ? 'anyone' : access === 'telephony' ? 'telephony key' : `\`${access}\``;

export function routeTable(routes: readonly DeclaredRoute[]): string {
  return table(
    ['method', 'path', 'who may call it'],
    [...routes]
      .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))
      .map((route) => [route.method.toUpperCase(), `\`${route.path}\``, accessLabel(route.access)]),
  );
}

export function eventTable(): string {
  const desk = Object.entries(deskEventAccess).map(([event, access]) => [
    '`/` (desks)',
    `\`${event}\``,
    access === 'outbox' ? 'signed in, then the kind’s `outbox.*` action' : accessLabel(access),
  ]);
  const customer = Object.entries(customerEventAccess).map(([event, access]) => [
    '`/customer`',
    `\`${event}\``,
    accessLabel(access),
  ]);
  return table(['namespace', 'event', 'who may send it'], [...desk, ...customer]);
}
