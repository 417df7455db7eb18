/** How an extractive summary is picked (see {@link centralSentences}). */
export interface SummaryOptions {
  /** Fewest and most sentences a summary has. */
  sentences: readonly [min: number, max: number];
  /** One more sentence (up to the most) for every this many sentences of the article. */
  sentencesPer: number;
  /** PageRank's damping factor. */
  damping: number;
  /** Power iterations of PageRank (it converges in far fewer on articles). */
  iterations: number;
  /** Sentences with fewer content words than this are never picked: captions, datelines, "Photo". */
  minTerms: number;
  /** Only this many first sentences are read: the graph grows with their square. */
  maxSentences: number;
}

/**
 * The most central sentences of an article, by TextRank (Mihalcea and Tarau, 2004): each sentence is
 * a node, two sentences are linked as strongly as they share content words (shared words over the
 * sum of the logarithms of their lengths), and PageRank over that graph scores each sentence by how
 * much of the rest of the article it stands for. Returns the indexes of the chosen sentences in
 * article order: between `sentences[0]` and `sentences[1]` of them, more for a longer article.
 *
 * @param terms each sentence's content words (analysed terms, as numbers or strings), in article order
 * @example
 * centralSentences([[1, 2], [2, 3, 4, 5], [9]], options) // => [1] when only one sentence has enough words
 */
export function centralSentences(
  terms: ReadonlyArray<ReadonlyArray<number | string>>,
  options: SummaryOptions,
): number[] {
  const sets = terms.slice(0, options.maxSentences).map((sentence) => new Set(sentence));
  const eligible = sets.map((set) => set.size >= options.minTerms);
  const n = sets.length;
  const weights: Float64Array[] = sets.map(() => new Float64Array(n));
  const totals = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = sets[i] as Set<number | string>;
      const b = sets[j] as Set<number | string>;
      if (a.size < 2 || b.size < 2) continue;
      let shared = 0;
      for (const term of a.size <= b.size ? a : b) if ((a.size <= b.size ? b : a).has(term)) shared++;
      const weight = shared / (Math.log(a.size) + Math.log(b.size));
      (weights[i] as Float64Array)[j] = weight;
      (weights[j] as Float64Array)[i] = weight;
      totals[i] = (totals[i] ?? 0) + weight;
      totals[j] = (totals[j] ?? 0) + weight;
    }
  }
  let scores = new Float64Array(n).fill(1);
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j < n; j++) {
        const weight = (weights[j] as Float64Array)[i] ?? 0;
        if (weight > 0) sum += (weight / (totals[j] ?? 1)) * (scores[j] ?? 0);
      }
      next[i] = 1 - options.damping + options.damping * sum;
    }
    scores = next;
  }
  const [min, max] = options.sentences;
  const count = Math.min(max, Math.max(min, Math.ceil(n / options.sentencesPer)));
  return [...Array(n).keys()]
    .filter((i) => eligible[i])
    .sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b)
    .slice(0, count)
    .sort((a, b) => a - b);
}
