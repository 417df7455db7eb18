import { PASSAGE_FEATURES } from './features.js';
import type { QueryPlan } from './plan.js';
import type { Ranked } from './rank.js';
import type { QuestionKind } from './shortAnswer.js';

/** Where the passage feature "its best sentence holds the kind of fact asked for" is. */
const ANSWER_TYPE = PASSAGE_FEATURES.indexOf('answerType');

/** What a question of each kind asks for, as a hedged answer says it lacks it. */
const ASKED_FOR: Partial<Record<QuestionKind, string>> = {
  date: 'no date for “when”',
  person: 'no name for “who”',
  place: 'no place for “where”',
  number: 'no number for “how many”',
};

/**
 * What the closest passage lacks of what the question asks, in a few words, for a hedged answer:
 * the kind of fact asked for when its best sentence holds none ("no date for “when”"), else the
 * question's most specific word it does not hold (nor its article's title or its section's
 * heading, `context`), and near which of the words it does hold ("“Sheinbaum” not found near
 * “guns”"); `null` when it lacks nothing it can name.
 *
 * @example
 * lackingOf('date', plan, best, 'Mexico Rejects U.S. Military Action') // => 'no date for “when”'
 */
export function lackingOf(kind: QuestionKind | null, plan: QueryPlan, best: Ranked, context: string): string | null {
  const asked = kind === null ? undefined : ASKED_FOR[kind];
  if (asked !== undefined && (best.features[ANSWER_TYPE] ?? 0) === 0) return asked;
  const around = context.toLowerCase();
  const bySpecificity = plan.terms
    .map((term, i) => ({ term, held: best.matchedTerms[i] === true || around.includes(term.surface.toLowerCase()) }))
    .sort((a, b) => b.term.specificity - a.term.specificity || b.term.idf - a.term.idf);
  const missing = bySpecificity.find((t) => !t.held);
  if (!missing) return null;
  const held = bySpecificity.find((t) => t.held);
  return held
    ? `“${missing.term.surface}” not found near “${held.term.surface}”`
    : `“${missing.term.surface}” not found`;
}

/**
 * The first `limit` of `ranked` from different places (`placeOf`: article and paragraph): what a
 * hedged answer shows, so its passages are alternatives rather than overlapping windows of one
 * long paragraph.
 */
export function fromDifferentPlaces(
  ranked: readonly Ranked[],
  placeOf: (id: number) => string,
  limit: number,
): Ranked[] {
  const seen = new Set<string>();
  const chosen: Ranked[] = [];
  for (const candidate of ranked) {
    const place = placeOf(candidate.id);
    if (seen.has(place)) continue;
    seen.add(place);
    chosen.push(candidate);
    if (chosen.length === limit) break;
  }
  return chosen;
}
