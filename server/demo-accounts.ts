// The demo accounts created on a server's first start. The README's table and
// the tests read this list, so all three agree.
import type { Role } from '../shared/domain/people';

export const demoPassword = 'helpline-demo';

export interface DemoAccount {
  username: string;
  displayName: string;
  roles: Role[];
}

export const demoAccounts: readonly DemoAccount[] = [
  { username: 'demo-adviser', displayName: 'Alex Adviser', roles: ['adviser'] },
  { username: 'demo-adviser-2', displayName: 'Sam Adviser', roles: ['adviser'] },
  { username: 'demo-leader', displayName: 'Taylor Leader', roles: ['team_leader', 'adviser'] },
  // A second team leader: a disputed review is resolved by someone other than its reviewer.
  { username: 'demo-leader-2', displayName: 'Robin Leader', roles: ['team_leader'] },
  { username: 'demo-trainer', displayName: 'Jordan Trainer', roles: ['trainer'] },
  { username: 'demo-editor', displayName: 'Morgan Editor', roles: ['knowledge_editor', 'adviser'] },
];
