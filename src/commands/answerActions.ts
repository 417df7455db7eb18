import { UserError } from '../errors.js';
import { answerQuestion } from './answer.js';
import { defineCommand, type ButtonDefinition, type CommandContext, type OptionDefinition } from './command.js';
import { voteButtons } from './feedback.js';
import type { Reply, ReplyButton } from './reply.js';

/** Passages "More passages" shows at a time. */
const MORE_PAGE = 3;
/** Most passages "More passages" pages through. */
const MAX_PAGED = 12;

/** "More passages": `more:<answer id>:<index of the first passage to show>`. */
const MORE_BUTTONS: ButtonDefinition = {
  prefix: 'more',
  parse(id) {
    const match = /^more:([\w-]{1,40}):(\d{1,3})$/.exec(id);
    return match ? { answer: match[1], from: Number(match[2]) } : null;
  },
};

/** "Share": `share:<answer id>`, under a private answer. */
const SHARE_BUTTONS: ButtonDefinition = {
  prefix: 'share',
  parse(id) {
    const match = /^share:([\w-]{1,40})$/.exec(id);
    return match ? { answer: match[1] } : null;
  },
};

/** The buttons under an answer: More passages (when there are more), 👍, 👎, and Share under a private one. */
export function answerButtons(answerId: string, options: { more: boolean; share: boolean }): ReplyButton[] {
  return [
    ...(options.more ? [{ id: `${MORE_BUTTONS.prefix}:${answerId}:1`, label: 'More passages', disabled: false }] : []),
    ...voteButtons(answerId),
    ...(options.share ? [{ id: `${SHARE_BUTTONS.prefix}:${answerId}`, label: 'Share', disabled: false }] : []),
  ];
}

/** The answer a button belongs to, which its id carries. */
const ANSWER_OPTION = {
  name: 'answer',
  description: 'The answer the button is under',
  type: 'string',
  required: true,
  internal: true,
} as const satisfies OptionDefinition;

/** The question a button's answer was for, from the database. */
async function questionOf(context: CommandContext, answerId: string): Promise<string> {
  const question = (await context.store?.question(answerId)) ?? null;
  if (question === null) throw new UserError('That answer is too old to follow up now. Ask again to get a fresh one.');
  return question;
}

/** The next passages of an answer, shown to the person who asked for them. */
export const morePassages = defineCommand({
  data: {
    name: 'more-passages',
    description: 'The next passages of an answer (the More passages button)',
    rateLimit: 'questions',
    options: [
      ANSWER_OPTION,
      { name: 'from', description: 'The first passage to show', type: 'integer', required: false, internal: true },
    ],
    hidden: true,
    buttons: MORE_BUTTONS,
  },
  async execute(context, options): Promise<Reply> {
    const question = await questionOf(context, options.answer);
    const from = Math.max(1, options.from ?? 1);
    const all = answerQuestion(context.knowledge.engine, question, Math.min(MAX_PAGED, from + MORE_PAGE + 1));
    const passages = (all.passages ?? []).slice(from, from + MORE_PAGE);
    if (passages.length === 0)
      return {
        tone: 'info',
        title: 'No more passages',
        query: question,
        body: 'That was every passage that matches.',
        ephemeral: true,
      };
    const more = (all.passages?.length ?? 0) > from + MORE_PAGE && from + MORE_PAGE < MAX_PAGED;
    return {
      tone: 'answer',
      title: 'More passages',
      query: question,
      passages,
      articles: all.articles?.filter((a) => passages.some((p) => p.article.slug === a.slug)) ?? [],
      page: { page: 1, pageCount: 1, first: from + 1 },
      ...(more
        ? {
            buttons: [
              {
                id: `${MORE_BUTTONS.prefix}:${options.answer}:${from + MORE_PAGE}`,
                label: 'More passages',
                disabled: false,
              },
            ],
          }
        : {}),
      ephemeral: true,
    };
  },
});

/** Posts a private answer to the channel for everyone, saying who shared it. */
export const share = defineCommand({
  data: {
    name: 'share',
    description: 'Post a private answer to the channel (the Share button)',
    rateLimit: 'questions',
    options: [ANSWER_OPTION],
    hidden: true,
    buttons: SHARE_BUTTONS,
  },
  async execute(context, options): Promise<Reply> {
    const answerId = options.answer;
    const question = await questionOf(context, answerId);
    const reply = answerQuestion(context.knowledge.engine, question);
    const more = (reply.passages?.length ?? 0) > 1;
    return context.conversation.answered(
      {
        ...reply,
        body: [`Shared by ${context.invoker.name}.`, reply.body].filter(Boolean).join(' '),
        buttons: answerButtons(answerId, { more, share: false }),
        ephemeral: false,
      },
      { id: answerId, question, followUp: false },
    );
  },
});
