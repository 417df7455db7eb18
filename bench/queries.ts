import type { Article } from '../src/content/article.js';
import { seededRandom } from './corpus.js';

/** Questions no article here answers, for the off-topic share of the query mix. */
const OFF_TOPIC = [
  'what is the weather in paris tomorrow',
  'best pizza recipe with fresh basil',
  'who won the 2022 world cup final',
  'how do i reverse a linked list in python',
  'what time does the super bowl start',
  'price of a used bicycle in berlin',
  'how many calories in a banana',
  'when does the new iphone come out',
  'who is the prime minister of japan',
  'what is the tallest mountain in africa',
];

/**
 * A fixed, seeded mix of questions over `articles`: most built from words of a random passage
 * (as a reader would ask), some with a typo, some off-topic. The same seed gives the same mix.
 */
export function mixedQuestions(articles: readonly Article[], count: number, seed = 7): string[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const texts = articles.flatMap((article) => [
    ...article.lead,
    ...article.insights,
    ...article.sections.flatMap((s) => s.paragraphs),
  ]);
  return Array.from({ length: count }, () => {
    const roll = random();
    if (roll < 0.15) return pick(OFF_TOPIC);
    const words = pick(texts)
      .split(/[^A-Za-z']+/)
      .filter((word) => word.length > 3);
    const start = Math.floor(random() * Math.max(1, words.length - 4));
    const chosen = words.slice(start, start + 2 + Math.floor(random() * 3)).map((word) => word.toLowerCase());
    if (roll < 0.3 && chosen.length > 0) {
      const i = Math.floor(random() * chosen.length);
      const word = chosen[i] ?? '';
      if (word.length > 4) chosen[i] = word.slice(0, 2) + (word[3] ?? '') + (word[2] ?? '') + word.slice(4); // swap two letters
    }
    return `${pick(['what about', 'tell me about', 'who', 'why', 'how', 'what did they say about'])} ${chosen.join(' ')}?`;
  });
}
