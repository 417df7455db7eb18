/**
 * The subset of Discord's message validation worth enforcing in tests: length limits that
 * the real API rejects with 50035 / 50006 but discord.js does not check client-side.
 */
import type { APIEmbed } from 'discord.js';
import type { InteractionCallbackData, MessageBody } from './types.js';

/** A Discord-style error body. */
export interface DiscordErrorBody {
  code: number;
  message: string;
  errors?: Record<string, unknown>;
}

/** `MessageFlags.IsComponentsV2`. */
const IS_COMPONENTS_V2 = 1 << 15;

function invalidForm(problems: string[]): DiscordErrorBody {
  return {
    code: 50035,
    message: 'Invalid Form Body',
    errors: Object.fromEntries(
      problems.map((p) => {
        const [field = 'body', ...rest] = p.split(': ');
        return [field, { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: rest.join(': ') }] }];
      }),
    ),
  };
}

function embedProblems(embeds: APIEmbed[], prefix: string): string[] {
  const problems: string[] = [];
  if (embeds.length > 10) problems.push(`${prefix}embeds: Must be 10 or fewer in length.`);
  let total = 0;
  embeds.forEach((embed, i) => {
    const at = `${prefix}embeds.${i}`;
    const check = (value: string | undefined, max: number, field: string) => {
      if (value === undefined) return;
      total += value.length;
      if (value.length > max) problems.push(`${at}.${field}: Must be ${max} or fewer in length (got ${value.length}).`);
    };
    check(embed.title, 256, 'title');
    check(embed.description, 4096, 'description');
    check(embed.footer?.text, 2048, 'footer.text');
    check(embed.author?.name, 256, 'author.name');
    if ((embed.fields?.length ?? 0) > 25) problems.push(`${at}.fields: Must be 25 or fewer in length.`);
    embed.fields?.forEach((field, j) => {
      check(field.name, 256, `fields.${j}.name`);
      check(field.value, 1024, `fields.${j}.value`);
      if (!field.name || !field.value) problems.push(`${at}.fields.${j}: name and value are required.`);
    });
  });
  if (total > 6000) problems.push(`${prefix}embeds: Embed size exceeds maximum size of 6000 (got ${total}).`);
  return problems;
}

/**
 * Validates a message create/edit body; `requireContent` also rejects empty messages (50006).
 * Returns the error body Discord would answer with, or null when the body is fine.
 */
export function validateMessageBody(
  body: MessageBody,
  options: { requireContent: boolean; fileCount?: number; prefix?: string },
): DiscordErrorBody | null {
  const prefix = options.prefix ?? '';
  const problems: string[] = [];
  if (typeof body.content === 'string' && body.content.length > 2000) {
    problems.push(`${prefix}content: Must be 2000 or fewer in length (got ${body.content.length}).`);
  }
  if (body.embeds) problems.push(...embedProblems(body.embeds, prefix));
  const componentsV2 = ((body.flags ?? 0) & IS_COMPONENTS_V2) !== 0;
  const maxTopLevel = componentsV2 ? 40 : 5;
  if ((body.components?.length ?? 0) > maxTopLevel) {
    problems.push(`${prefix}components: Must be ${maxTopLevel} or fewer in length.`);
  }
  if (problems.length) return invalidForm(problems);

  if (options.requireContent) {
    const empty =
      !body.content &&
      !body.embeds?.length &&
      !body.components?.length &&
      !(options.fileCount ?? 0) &&
      !body.attachments?.length &&
      !body['sticker_ids'] &&
      !body['poll'];
    if (empty) return { code: 50006, message: 'Cannot send an empty message' };
  }
  return null;
}

/** Validates autocomplete choices (max 25; names and string values up to 100 chars). */
export function validateChoices(data: InteractionCallbackData | undefined): DiscordErrorBody | null {
  const choices = data?.choices;
  if (!Array.isArray(choices)) return invalidForm(['data.choices: This field is required']);
  const problems: string[] = [];
  if (choices.length > 25) problems.push(`data.choices: Must be 25 or fewer in length (got ${choices.length}).`);
  choices.forEach((choice, i) => {
    if (choice.name.length < 1 || choice.name.length > 100)
      problems.push(`data.choices.${i}.name: Must be between 1 and 100 in length.`);
    if (typeof choice.value === 'string' && choice.value.length > 100) {
      problems.push(`data.choices.${i}.value: Must be 100 or fewer in length.`);
    }
  });
  return problems.length ? invalidForm(problems) : null;
}

/** Discord's thread auto-archive durations, in minutes. */
export const AUTO_ARCHIVE_DURATIONS = [60, 1440, 4320, 10080] as const;

/** One problem with a form field, as Discord reports it under `errors`. */
interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

function formError(problems: FieldProblem[]): DiscordErrorBody {
  const errors: Record<string, unknown> = {};
  for (const { field, code, message } of problems) {
    const entry = (errors[field] ??= { _errors: [] }) as { _errors: { code: string; message: string }[] };
    entry._errors.push({ code, message });
  }
  return { code: 50035, message: 'Invalid Form Body', errors };
}

/**
 * Validates the thread fields of a start-thread body (`name` 1–100 characters, `auto_archive_duration`
 * one of 60/1440/4320/10080, `rate_limit_per_user` 0–21600). `limits: false` only checks that a name is given.
 */
export function validateThreadBody(body: Record<string, unknown>, limits = true): DiscordErrorBody | null {
  const problems: FieldProblem[] = [];
  const name = body['name'];
  if (typeof name !== 'string') {
    problems.push({ field: 'name', code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
  } else if (limits && (name.trim().length < 1 || name.length > 100)) {
    problems.push({ field: 'name', code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' });
  }
  const duration = body['auto_archive_duration'];
  if (
    limits &&
    duration !== undefined &&
    duration !== null &&
    !(AUTO_ARCHIVE_DURATIONS as readonly unknown[]).includes(duration)
  ) {
    problems.push({
      field: 'auto_archive_duration',
      code: 'BASE_TYPE_CHOICES',
      message: `Value must be one of {${AUTO_ARCHIVE_DURATIONS.join(', ')}}.`,
    });
  }
  const slowmode = body['rate_limit_per_user'];
  if (
    limits &&
    slowmode !== undefined &&
    slowmode !== null &&
    !(typeof slowmode === 'number' && Number.isInteger(slowmode) && slowmode >= 0 && slowmode <= 21600)
  ) {
    problems.push({
      field: 'rate_limit_per_user',
      code: 'NUMBER_TYPE_MAX',
      message: 'int value should be between 0 and 21600.',
    });
  }
  return problems.length ? formError(problems) : null;
}

/** The error Discord answers a forum post without its `message` with. */
export function missingForumMessage(): DiscordErrorBody {
  return formError([{ field: 'message', code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]);
}
