import { DiscordAPIError, DiscordjsError, DiscordjsErrorCodes, GatewayCloseCodes } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { describeDiscordError, GatewayClosedError } from '../../src/discord/errors.js';

const token = 'secret-token.abcdefghijklmnopqrstuvwxyz';
/** The error discord.js's login throws for a token Discord refuses (its constructor is internal). */
const tokenInvalid = new (DiscordjsError as unknown as new (code: string) => Error)(DiscordjsErrorCodes.TokenInvalid);
const apiError = (status: number, code: number, message: string) =>
  new DiscordAPIError(
    { code, message },
    code,
    status,
    'PUT',
    `https://discord.com/api/v10/applications/1/commands?token=${token}`,
    {},
  );

describe('describeDiscordError', () => {
  it('tells a rejected token by its class and status, not its wording', () => {
    expect(describeDiscordError(tokenInvalid, [token])).toMatch(/^Discord rejected DISCORD_TOKEN/);
    expect(describeDiscordError(apiError(401, 0, '401: Unauthorized'), [token])).toMatch(
      /^Discord rejected DISCORD_TOKEN/,
    );
    expect(describeDiscordError(new GatewayClosedError(GatewayCloseCodes.AuthenticationFailed), [token])).toMatch(
      /^Discord rejected DISCORD_TOKEN/,
    );
  });

  it('never calls a network failure a bad token, even when its text has "401" in it', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:4010'), { code: 'ECONNREFUSED' });
    expect(describeDiscordError(refused, [token])).toBe(
      'Discord could not be reached (ECONNREFUSED): check the network and firewall, or DISCORD_API_URL',
    );
    const wrapped = new TypeError('fetch failed', {
      cause: Object.assign(new Error('getaddrinfo ENOTFOUND discord.example'), { code: 'ENOTFOUND' }),
    });
    expect(describeDiscordError(wrapped, [token])).toContain('could not be reached (ENOTFOUND)');
    expect(describeDiscordError(new Error('unexpected reply 401 at /gateway'), [token])).toBe(
      'unexpected reply 401 at /gateway',
    );
  });

  it('points a refused intent and a missing access at their fixes', () => {
    expect(describeDiscordError(new GatewayClosedError(GatewayCloseCodes.DisallowedIntents), [token])).toContain(
      'enable it on the Bot page',
    );
    expect(describeDiscordError(apiError(403, 50001, 'Missing Access'), [token])).toContain(
      'check that the bot was invited to GUILD_ID',
    );
  });

  it('never repeats the token', () => {
    expect(describeDiscordError(new Error(`login failed for ${token}`), [token])).not.toContain(token);
  });
});
