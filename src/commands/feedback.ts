import { UserError } from '../errors.js';
import { analyzeTerms } from '../search/analyze.js';
import { defineCommand, type ButtonDefinition, type CommandContext } from './command.js';
import type { Outcome } from '../store/store.js';
import type { Reply, ReplyButton } from './reply.js';

/** The 👍 and 👎 buttons under an answer: `vote:<answer id>:up|down`. */
const VOTE_BUTTONS: ButtonDefinition = {
  prefix: 'vote',
  parse(id) {
    const match = /^vote:([\w-]{1,40}):(up|down)$/.exec(id);
    return match ? { answer: match[1], vote: match[2] } : null;
  },
};

/** The buttons to put under an answer so readers can say whether it helped. */
export function voteButtons(answerId: string): ReplyButton[] {
  return [
    { id: `${VOTE_BUTTONS.prefix}:${answerId}:up`, label: '👍', disabled: false },
    { id: `${VOTE_BUTTONS.prefix}:${answerId}:down`, label: '👎', disabled: false },
  ];
}

/**
 * A question's words after normalization (stemmed, stop words and question phrasing removed,
 * sorted): "What time does the bakery open?" and "when does the bakery open" group together.
 *
 * @example
 * questionWords('When does the bakery open?') === questionWords('bakery opening time when') // => true
 */
export function questionWords(question: string): string {
  const terms = [...new Set(analyzeTerms(question))].sort();
  return terms.length > 0 ? terms.join(' ') : question.toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Records a question for /gaps (when there is a store) and returns the id its answer's buttons
 * carry, or `null` when nothing is recorded.
 */
export function recordQuestion(context: CommandContext, question: string, outcome: Outcome): string | null {
  if (!context.store || question.trim() === '') return null;
  return context.store.recordQuestion({
    question,
    words: questionWords(question),
    outcome,
    contentVersion: context.knowledge.version,
    askerId: context.invoker.id,
  });
}

/** A vote on an answer, acknowledged privately: one per person per answer, a second press changes it. */
export const feedback = defineCommand({
  data: {
    name: 'feedback',
    description: 'Say whether an answer helped (the 👍 and 👎 buttons under it)',
    options: [
      { name: 'answer', description: 'The answer voted on', type: 'string', required: true, internal: true },
      { name: 'vote', description: 'up or down', type: 'string', required: true, internal: true },
    ],
    hidden: true,
    buttons: VOTE_BUTTONS,
  },
  async execute(context, options): Promise<Reply> {
    const answerId = options.answer;
    const up = options.vote === 'up';
    if (!context.store) throw new UserError('Votes are not recorded here.');
    const result = await context.store.vote(answerId, context.invoker.id, up ? 1 : -1);
    if (result === 'unknown-answer')
      throw new UserError('That answer is too old to vote on now. Ask again to get a fresh one.');
    const mark = up ? '👍' : '👎';
    const body = {
      recorded: `Thanks: your ${mark} is recorded.${up ? '' : ' Moderators see answers that miss in /gaps.'}`,
      changed: `Changed your vote to ${mark}.`,
      unchanged: `You already gave this answer a ${mark}.`,
    }[result];
    return { tone: 'info', title: 'Thanks for the feedback', body, ephemeral: true };
  },
});
