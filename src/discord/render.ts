import {
  ButtonStyle,
  ComponentType,
  MessageFlags,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
} from 'discord.js';
import { hostOf } from '../content/article.js';
import {
  highlightAnswer,
  shortLabel,
  type ArticleRef,
  type Page,
  type Reply,
  type ReplyButton,
  type ReplyPassage,
} from '../commands/reply.js';
import { DISCORD_LIMITS, echoText, fitEmbeds, linkTarget, markdownLink, plainText } from './limits.js';

/** What the bot sends: embeds, optional page buttons, private or not, and never a ping. */
export interface DiscordMessage {
  embeds: APIEmbed[];
  components: Array<APIActionRowComponent<APIButtonComponent>>;
  flags?: MessageFlags.Ephemeral;
  allowedMentions: { parse: []; repliedUser: false };
}

/** Pings nobody: no @everyone, roles or users, and no ping to the author of a replied message. */
export const NO_MENTIONS = { parse: [] as [], repliedUser: false as const };

/** Each tone's colour: a hedged answer is grey, so it never passes for a confident (blue) one. */
const COLORS: Record<Reply['tone'], number> = {
  answer: 0x2b7bb9,
  hedged: 0x95a5a6,
  info: 0x5865f2,
  warning: 0xf0b232,
  error: 0xda373c,
};

/**
 * Renders a reply as a Discord message within Discord's limits: a heading embed, one embed per
 * passage (section, article linked to its url, the best sentence in bold), the sources, and
 * previous/next buttons for paged results. User text is escaped; nothing pings.
 */
export function renderReply(reply: Reply): DiscordMessage {
  const color = COLORS[reply.tone];
  const best = reply.passages?.[0];
  if (reply.compact && best) {
    return message(reply, [answerEmbed(reply, best, color)]);
  }
  const heading: APIEmbed = { color, title: titleOf(reply) };
  if (reply.body) heading.description = plainText(reply.body);
  const embeds: APIEmbed[] = [heading];
  for (const list of reply.lists ?? []) {
    const items = list.items.map((item) => `• ${plainText(item)}`).join('\n');
    if (list.heading === null) heading.description = [heading.description, items].filter(Boolean).join('\n\n');
    else embeds.push({ color, title: plainText(list.heading), description: items });
  }
  reply.passages?.forEach((passage, i) => embeds.push(passageEmbed(passage, i, color)));
  if (reply.articles && reply.articles.length > 0)
    embeds.push({ color, title: 'Sources', description: reply.articles.map(sourceLines).join('\n\n') });
  return message(reply, embeds);
}

/**
 * The reply's title, with the user's words it answers: only as much of them as a title shows is
 * escaped, so a long message costs no more than a short one.
 */
function titleOf(reply: Reply): string {
  const title = plainText(reply.title);
  return reply.query ? `${title}: “${echoText(reply.query, DISCORD_LIMITS.title)}”` : title;
}

/** A passage's text as shown: escaped, its answer sentence in bold. */
function highlighted(passage: ReplyPassage): string {
  return highlightAnswer(passage, (sentence) => `**${plainText(sentence)}**`, plainText);
}

function message(reply: Reply, embeds: APIEmbed[]): DiscordMessage {
  return {
    embeds: fitEmbeds(embeds),
    components: reply.buttons && reply.buttons.length > 0 ? [buttonRow(reply.buttons, reply.page)] : [],
    ...(reply.ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
    allowedMentions: NO_MENTIONS,
  };
}

/**
 * A chat answer as one embed: the short answer in bold when there is one ("**Six** — "), the best
 * passage with its answer sentence in bold, then one line with the article (linked), the section and
 * the source links.
 */
function answerEmbed(reply: Reply, passage: ReplyPassage, color: number): APIEmbed {
  const article = passage.article;
  const sources = article.sources.map((url) => markdownLink(hostOf(url), url)).join(', ');
  const line = [
    markdownLink(article.title, article.url),
    passage.section === null ? '' : plainText(passage.section),
    sources ? `Sources: ${sources}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const text = passage.short
    ? `**${plainText(shortLabel(passage.short))}** — ${highlighted(passage)}`
    : highlighted(passage);
  return {
    color,
    title: titleOf(reply),
    description: [reply.body ? plainText(reply.body) : '', text, line].filter(Boolean).join('\n\n'),
  };
}

/** A rendered reply without its privacy flag: for edits of an earlier response and for channel messages. */
export function renderBody(reply: Reply): Omit<DiscordMessage, 'flags'> {
  const { flags: _decidedElsewhere, ...body } = renderReply(reply);
  return body;
}

function passageEmbed(passage: ReplyPassage, index: number, color: number): APIEmbed {
  // An embed's author line is plain text: no Markdown to escape, and its link is the article's own.
  const url = passage.article.url === null ? null : linkTarget(passage.article.url);
  return {
    color,
    author: { name: passage.article.title, ...(url === null ? {} : { url }) },
    title: plainText(passage.section ?? 'In brief'),
    description: highlighted(passage),
    footer: { text: index === 0 ? 'Best match' : `Match ${index + 1}` },
  };
}

/** The article (linked when it has a url) and its sources as short links. */
function sourceLines(article: ArticleRef): string {
  const title = `**${markdownLink(article.title, article.url)}**${article.published ? ` (${article.published})` : ''}`;
  const links = article.sources.map((url) => `• ${markdownLink(hostOf(url), url)}`);
  return [title, ...(links.length > 0 ? links : ['• (no sources listed)'])].join('\n');
}

/**
 * A reply's buttons in one row, with "Page 2 of 5" between the previous and next buttons of a paged
 * reply. Their ids come from the command that made the reply, which maps a press back to itself.
 */
function buttonRow(buttons: readonly ReplyButton[], page: Page | undefined): APIActionRowComponent<APIButtonComponent> {
  const button = (b: ReplyButton): APIButtonComponent => ({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label: b.label,
    custom_id: b.id.slice(0, DISCORD_LIMITS.customId),
    disabled: b.disabled,
  });
  const label: APIButtonComponent[] =
    page && page.pageCount > 1
      ? [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Secondary,
            label: `Page ${page.page} of ${page.pageCount}`,
            custom_id: 'page-label',
            disabled: true,
          },
        ]
      : [];
  const previous = buttons.filter((b) => b.step === 'previous').map(button);
  const others = buttons.filter((b) => b.step !== 'previous').map(button);
  return { type: ComponentType.ActionRow, components: [...previous, ...label, ...others].slice(0, 5) };
}
