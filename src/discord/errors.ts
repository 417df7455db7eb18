import { DiscordAPIError, DiscordjsError, DiscordjsErrorCodes, GatewayCloseCodes, HTTPError } from 'discord.js';
import { redactSecrets } from '../logger.js';

/** System error codes that mean Discord (or DISCORD_API_URL) could not be reached at all. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/** The gateway closed the connection for good before the bot was ready; `code` is its close code. */
export class GatewayClosedError extends Error {
  override readonly name = 'GatewayClosedError';
  readonly code: GatewayCloseCodes;

  constructor(code: GatewayCloseCodes, options?: ErrorOptions) {
    super(`the Discord gateway closed the connection (${code} ${GatewayCloseCodes[code] ?? 'unknown'})`, options);
    this.code = code;
  }
}

/** Discord did not let the bot in within the connect timeout: no answer at all, or too slow. */
export class ConnectTimeoutError extends Error {
  override readonly name = 'ConnectTimeoutError';
  readonly ms: number;

  constructor(ms: number) {
    super(`no answer from Discord within ${ms / 1000} s`);
    this.ms = ms;
  }
}

/** The first system error code (ECONNREFUSED, …) on an error or the errors that caused it. */
function systemCode(error: unknown): string | null {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && UNREACHABLE.has(code)) return code;
  }
  return null;
}

/**
 * A one-line account of a failed Discord call, told apart by discord.js's error classes, HTTP
 * statuses and codes (never by the wording of a message), with secrets removed, pointing at the
 * fix for the usual causes.
 *
 * @example
 * describeDiscordError(await client.login(token).catch((error) => error), [token])
 * // => 'Discord rejected DISCORD_TOKEN: copy the token again from the Bot page of the Developer Portal'
 */
export function describeDiscordError(error: unknown, secrets: ReadonlyArray<string | null>): string {
  const message = error instanceof Error ? error.message : String(error);
  const unreachable = systemCode(error);
  let text: string;
  if (
    (error instanceof DiscordjsError && error.code === DiscordjsErrorCodes.TokenInvalid) ||
    (error instanceof DiscordAPIError && error.status === 401) ||
    (error instanceof GatewayClosedError && error.code === GatewayCloseCodes.AuthenticationFailed)
  ) {
    text = 'Discord rejected DISCORD_TOKEN: copy the token again from the Bot page of the Developer Portal';
  } else if (
    error instanceof GatewayClosedError &&
    (error.code === GatewayCloseCodes.DisallowedIntents || error.code === GatewayCloseCodes.InvalidIntents)
  ) {
    text =
      'Discord refused the Message Content intent: enable it on the Bot page of the Developer Portal, or set MESSAGE_CONTENT_INTENT=false';
  } else if (error instanceof DiscordAPIError && error.status === 403) {
    text = `Discord refused access (${error.code}: ${error.message}): check that the bot was invited to GUILD_ID with the applications.commands scope`;
  } else if (error instanceof ConnectTimeoutError) {
    text = `Discord did not answer within ${error.ms / 1000} s: check the network, a firewall or proxy, and DISCORD_API_URL`;
  } else if (unreachable !== null) {
    text = `Discord could not be reached (${unreachable}): check the network and firewall, or DISCORD_API_URL`;
  } else if (error instanceof HTTPError) {
    text = `Discord answered with HTTP ${error.status}: try again later, or check DISCORD_API_URL`;
  } else {
    text = message;
  }
  return redactSecrets(text, secrets);
}
