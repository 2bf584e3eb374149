// Staff accounts and what each role may do.
import { z } from 'zod';

export const roles = ['adviser', 'team_leader', 'trainer', 'knowledge_editor'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

export const roleLabels: Record<Role, string> = {
  adviser: 'Adviser',
  team_leader: 'Team leader',
  trainer: 'Trainer',
  knowledge_editor: 'Knowledge editor',
};

export const staffMemberSchema = z.object({
  id: z.string().min(1),
  username: z.string().min(1),
  displayName: z.string().min(1),
  roles: z.array(roleSchema).min(1),
});
export type StaffMember = z.infer<typeof staffMemberSchema>;

export const usernameSchema = z
  .string()
  .trim()
  .min(1, 'Enter your username')
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/i, 'Usernames use letters, digits, dots, dashes and underscores');
export const passwordSchema = z.string().min(1, 'Enter your password').max(256);

export const credentialsSchema = z.object({ username: usernameSchema, password: passwordSchema });
export type Credentials = z.infer<typeof credentialsSchema>;
