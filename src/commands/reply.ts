import type { ArticleInfo } from '../content/article.js';
import { formatCount } from '../content/limits.js';
import { MAX_QUESTION_LENGTH, type NoAnswerReason, type SearchHit } from '../search/engine.js';

/** An article as a reply names it: title, link and sources. */
export interface ArticleRef {
  slug: string;
  title: string;
  url: string | null;
  /** Publication date (YYYY-MM-DD), when the article gives one. */
  published: string | null;
  sources: string[];
}

/** A passage in a reply, with the sentence to highlight. */
export interface ReplyPassage {
  id: string;
  text: string;
  /** The best sentence of `text`, shown highlighted. */
  answer: string;
  section: string | null;
  article: ArticleRef;
  /** The engine's relevance score (higher is better, comparable within one reply). */
  score: number;
  /** The exact phrase that answers a factoid question ("six", "Tom Homan"), when the engine is sure of it; else `null`. */
  short: string | null;
}

/** A bulleted list in a reply. */
export interface ReplyList {
  heading: string | null;
  items: string[];
}

/** Where a page of results stands, so a front door can say "page 2 of 5" and number items on from the last page. */
export interface Page {
  page: number;
  pageCount: number;
  /** The number of the page's first item, counting from 1 across pages. */
  first: number;
}

/** A button under a reply. Its id says which command runs when pressed (see ButtonDefinition), and with what. */
export interface ReplyButton {
  id: string;
  label: string;
  disabled: boolean;
  /** Paging buttons, which the terminal offers as /back and /more. */
  step?: 'previous' | 'next';
}

/**
 * What a command answers, independent of where it is shown: Discord renders it as embeds,
 * the terminal as text. `ephemeral` replies are shown only to the person who asked.
 */
export interface Reply {
  /** `hedged`: the closest passage, which may not answer the question (shown looking unlike a confident answer). */
  tone: 'answer' | 'hedged' | 'info' | 'warning' | 'error';
  title: string;
  /** The user's own words echoed back (a question or query): front doors escape it. */
  query?: string;
  /** A short paragraph of explanation. */
  body?: string;
  /** Bulleted lists (insights per article, commands, problems), each under an optional heading. */
  lists?: ReplyList[];
  passages?: ReplyPassage[];
  /** Articles whose sources the reply lists. */
  articles?: ArticleRef[];
  page?: Page;
  buttons?: ReplyButton[];
  /** Why a question got no passages, when it got none. */
  reason?: NoAnswerReason;
  /** Show only the best passage, in one piece, with its article, section and sources (a chat answer). */
  compact?: boolean;
  /** For a button press: this reply replaces the message the button is on (the next page), instead of coming as a new one. */
  replacesMessage?: boolean;
  /**
   * A mark that may stand in for this reply where showing it again would be noise (a notice the
   * user was already given): a front door that can only answer in public reacts with it instead.
   */
  brief?: string;
  ephemeral: boolean;
}

/** Whether a reply answers a question with passages: confidently, or hedged. */
export function isAnswer(reply: Reply): boolean {
  return reply.tone === 'answer' || reply.tone === 'hedged';
}

/** The reply-facing view of an article. */
export function articleRef(article: ArticleInfo): ArticleRef {
  return {
    slug: article.slug,
    title: article.title,
    url: article.url,
    published: article.published,
    sources: article.sources,
  };
}

/** A search hit as a reply passage. */
export function replyPassage(hit: SearchHit): ReplyPassage {
  const { passage } = hit;
  return {
    id: passage.id,
    text: passage.text,
    answer: hit.answer,
    section: passage.section,
    article: articleRef(passage.article),
    score: hit.score,
    short: hit.short,
  };
}

/** What a front door puts first, in bold, before a passage with a short answer: "Six". */
export function shortLabel(short: string): string {
  return short.charAt(0).toUpperCase() + short.slice(1);
}

/**
 * The passage's text with its answer sentence marked by `mark` (bold in Discord, ANSI bold on a
 * terminal), the rest of it shown through `show` (Discord's escaping; as it is by default).
 */
export function highlightAnswer(
  passage: ReplyPassage,
  mark: (sentence: string) => string,
  show: (text: string) => string = (text) => text,
): string {
  const at = passage.text.indexOf(passage.answer);
  if (at === -1) return show(passage.text);
  return show(passage.text.slice(0, at)) + mark(passage.answer) + show(passage.text.slice(at + passage.answer.length));
}

/** The distinct articles of some passages, in order of first appearance. */
export function articlesOf(passages: readonly ReplyPassage[]): ArticleRef[] {
  const bySlug = new Map<string, ArticleRef>();
  for (const passage of passages)
    if (!bySlug.has(passage.article.slug)) bySlug.set(passage.article.slug, passage.article);
  return [...bySlug.values()];
}

/** The honest reply for a question that got no passage, saying why and what to try instead. */
export function noAnswerReply(query: string, reason: NoAnswerReason): Reply {
  const body: Record<NoAnswerReason, string> = {
    empty: 'Type your question after the command, in your own words.',
    'too-long': `That question is too long. Ask it in fewer words (under ${formatCount(MAX_QUESTION_LENGTH)} characters).`,
    'no-terms': 'That question has only common words in it. Ask about a person, a place, an event or a topic.',
    'off-topic': "The article doesn't cover that. Try /insights to see what it does cover.",
  };
  return {
    tone: 'info',
    title: reason === 'off-topic' ? 'Not covered' : 'No answer',
    query: query || undefined,
    body: body[reason],
    reason,
    ephemeral: false,
  };
}
