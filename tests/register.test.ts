import { describe, expect, it } from 'vitest';
import { REGISTERED_COMMAND_NAMES } from './support/bot.js';
import { FAKE_TOKEN } from './support/fakeDiscord/index.js';
import { fakeDiscords } from './support/fakeDiscords.js';
import { runEntry } from './support/run.js';

const startDiscord = fakeDiscords();

describe('npm run register', () => {
  it('registers every command in GUILD_ID and prints them', async () => {
    const discord = await startDiscord();
    const { code, stdout } = await runEntry('src/register.ts', [], {
      env: { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: discord.apiUrl, GUILD_ID: discord.guild.id },
    });
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe(`Registered 11 commands in server ${discord.guild.id}:`);
    expect(stdout).toContain('  /reload — Moderators: reread the article files and swap in the new content');
    expect(discord.registeredCommands(discord.guild.id).map((c) => c.name)).toEqual(REGISTERED_COMMAND_NAMES);
  });

  it('registers globally without GUILD_ID', async () => {
    const discord = await startDiscord();
    const { code, stdout } = await runEntry('src/register.ts', [], {
      env: { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: discord.apiUrl },
    });
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('Registered 11 commands in all servers (global):');
  });

  it('says DISCORD_TOKEN is needed when it is not set', async () => {
    const { code, stderr } = await runEntry('src/register.ts');
    expect(code).toBe(1);
    expect(stderr).toBe('error: DISCORD_TOKEN is not set: registering commands needs the bot token (see README.md)\n');
  });
});
