import {
  PermissionFlagsBits,
  type GuildMember,
  type APIInteractionGuildMember,
  type PermissionsBitField,
} from 'discord.js';

/**
 * Whether a member may run moderator commands: Manage Server, Administrator, or one of the
 * configured moderator roles. Checked at run time on every moderator command, because server
 * admins can open a command to everyone whatever it was registered with. Outside a server
 * (direct messages) nobody is a moderator.
 */
export function isModerator(
  member: GuildMember | APIInteractionGuildMember | null | undefined,
  permissions: Readonly<PermissionsBitField> | null | undefined,
  modRoleIds: readonly string[],
): boolean {
  if (!member) return false;
  if (permissions?.any([PermissionFlagsBits.ManageGuild, PermissionFlagsBits.Administrator])) return true;
  const roles = Array.isArray(member.roles) ? member.roles : [...(member as GuildMember).roles.cache.keys()];
  return roles.some((role) => modRoleIds.includes(role));
}
