import { aboutQuestion } from '../search/about.js';
import type { Store } from '../store/store.js';
import type { Reply } from './reply.js';

/**
 * Where a question is asked, for what it may follow up on: in reply to one of the bot's messages
 * (Discord), or in a thread of questions that has no messages to reply to (the terminal session).
 */
export interface Place {
  /** The bot's message the question replies to. */
  repliedTo?: string;
  /** The conversation it is typed into, whose last answered question it may follow. */
  thread?: string;
}

/** An answer as it is recorded: its id (for votes and follow-ups), the question, and whether that question was itself a follow-up. */
export interface AnswerNote {
  id: string | null;
  question: string;
  followUp: boolean;
}

/**
 * What each question was a reply to, in one place: which answer a sent message carried, which
 * question a thread last had answered, and whether a new question follows up on one of them.
 *
 * @example
 * const conversation = createConversation(store);
 * conversation.delivered(conversation.answered(reply, { id, question, followUp: false }), { messageId });
 * conversation.earlierFor('what did he threaten?', { repliedTo: messageId }) // => the question of that answer
 */
export interface Conversation {
  /** Notes that `reply` is the answer described by `note`, until a front door says where it went; returns `reply`. */
  answered(reply: Reply, note: AnswerNote): Reply;
  /** A front door sent `reply` as message `messageId`, or into `thread`: later questions there may follow up on it. */
  delivered(reply: Reply, where: { messageId?: string; thread?: string }): void;
  /** Whether message `messageId` carried one of the bot's answers, so a question replying to it is meant for the bot. */
  carriesAnswer(messageId: string): Promise<boolean>;
  /**
   * The earlier question `question` follows up on, or `null` when it stands alone. A question about
   * the article itself ("when was it published?") always stands alone; one replying to an answer
   * follows it; one typed into a thread follows the thread's last question only when it
   * {@link readsAsFollowUp}.
   */
  earlierFor(question: string, place: Place): Promise<string | null>;
}

/** Threads remembered at once (one per terminal session, in practice). */
const MAX_THREADS = 1000;

/** The conversation over `store` (where messages' answers are kept across restarts); without one, only threads are followed. */
export function createConversation(store: Store | null): Conversation {
  const notes = new WeakMap<Reply, AnswerNote>();
  const threads = new Map<string, string>();
  return {
    answered(reply, note) {
      notes.set(reply, note);
      return reply;
    },
    delivered(reply, where) {
      const note = notes.get(reply);
      if (!note) return;
      // Kept in the background: the door has sent its reply; the link only matters for a later reply to it.
      if (where.messageId !== undefined && note.id !== null)
        void store?.linkMessage(where.messageId, note.id).catch(() => undefined);
      // A follow-up keeps the thread on the question it followed; one about the article itself
      // ("who wrote it?") leaves it there too.
      if (where.thread !== undefined && !note.followUp && aboutQuestion(note.question) === null) {
        threads.delete(where.thread);
        if (threads.size >= MAX_THREADS) threads.delete(threads.keys().next().value ?? '');
        threads.set(where.thread, note.question);
      }
    },
    async carriesAnswer(messageId) {
      return ((await store?.questionOfMessage(messageId)) ?? null) !== null;
    },
    async earlierFor(question, place) {
      if (aboutQuestion(question) !== null) return null;
      if (place.repliedTo !== undefined) return (await store?.questionOfMessage(place.repliedTo)) ?? null;
      const last = place.thread === undefined ? undefined : threads.get(place.thread);
      return last !== undefined && readsAsFollowUp(question) ? last : null;
    },
  };
}

const PRONOUN = /\b(?:he|she|it|they|him|her|them|his|hers|its|their|theirs|this|that|these|those|there)\b/i;
/** A question word alone, or with a word that only asks for more ("why?", "how so?", "when exactly?"). */
const BARE_QUESTION = /^(?:why|how|when|where|who|what|which)(?:\s+(?:so|exactly|then|not|come|else))?\s*\?*$/i;

/**
 * Whether a question typed right after another reads as following up on it: a bare question word
 * ("why?"), or short and leaning on a pronoun for what it is about ("what did he threaten to do?").
 *
 * @example
 * readsAsFollowUp('what did he threaten to do?') // => true
 * readsAsFollowUp('why?') // => true
 * readsAsFollowUp('what did Hegseth say about the cartels?') // => false
 */
export function readsAsFollowUp(question: string): boolean {
  const trimmed = question.trim();
  if (BARE_QUESTION.test(trimmed)) return true;
  const words = trimmed.split(/\s+/);
  return words.length <= 8 && PRONOUN.test(trimmed) && !/[A-Z]/.test(words.slice(1).join(' '));
}
