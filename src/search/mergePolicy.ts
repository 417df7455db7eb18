/** How much of a segment is served, for the merge policy. */
export interface SegmentState {
  id: string;
  articles: number;
  /** The slugs of its articles removed or replaced since it was built. */
  deleted: string[];
}

/**
 * When segments are merged (Lucene's TieredMergePolicy, simplified). Each number says where it
 * comes from; bench/README.md ("Segments") measures what they cost.
 */
export interface MergePolicy {
  /**
   * Segments of one size tier merged together once there are this many: every change adds a small
   * segment, so four one-article segments become one of four, four of those one of sixteen, and so
   * on; an article is rewritten about log₄(articles) times over its life. Lucene merges 10 at once;
   * fewer keeps the number of segments a question reads small.
   */
  perTier: number;
  /** How much larger each tier's segments are than the tier below's (in articles). */
  tierFactor: number;
  /**
   * A segment with this share of its articles deleted is rewritten without them (Lucene's
   * deletesPctAllowed, 20 %): deleted passages still cost postings to skip, and memory.
   */
  deletedShare: number;
  /**
   * Most segments served at once: past it the smallest are merged, whatever their tiers. Each
   * question looks its terms up in every segment.
   */
  maxSegments: number;
  /**
   * Largest segment a merge makes, in articles (a cold build makes segments of this many too):
   * bounds a merge's time and memory; 100,000 articles are served as five segments.
   */
  maxArticles: number;
}

/** The policy the bot uses. */
export const DEFAULT_MERGE_POLICY: MergePolicy = {
  perTier: 4,
  tierFactor: 4,
  deletedShare: 0.2,
  maxSegments: 10,
  maxArticles: 20_000,
};

/**
 * The segments to merge next, in the order served (the first merge the policy asks for), or `null`
 * when none is due: a segment too deleted is rewritten alone; `perTier` segments of one tier (by live
 * articles, a tier `tierFactor` times the one below) are merged if the result stays within
 * `maxArticles`; past `maxSegments`, the smallest are.
 *
 * @example
 * chooseMerge(engine.segmentStates(), DEFAULT_MERGE_POLICY) // => ['s7', 's8', 's9', 's10']
 */
export function chooseMerge(states: readonly SegmentState[], policy: MergePolicy): string[] | null {
  const live = (state: SegmentState): number => state.articles - state.deleted.length;
  const deleted = states.find(
    (state) => state.deleted.length > 0 && state.deleted.length >= state.articles * policy.deletedShare,
  );
  if (deleted) return [deleted.id];
  const tierOf = (state: SegmentState): number =>
    Math.floor(Math.log(Math.max(1, live(state))) / Math.log(policy.tierFactor));
  const tiers = new Map<number, SegmentState[]>();
  for (const state of states) {
    const tier = tiers.get(tierOf(state)) ?? [];
    tier.push(state);
    tiers.set(tierOf(state), tier);
  }
  for (const [, tier] of [...tiers].sort((a, b) => a[0] - b[0])) {
    const chosen = tier.slice(0, policy.perTier);
    if (chosen.length === policy.perTier && chosen.reduce((sum, state) => sum + live(state), 0) <= policy.maxArticles)
      return chosen.map((state) => state.id);
  }
  if (states.length <= policy.maxSegments) return null;
  const smallest = [...states].sort((a, b) => live(a) - live(b)).slice(0, states.length - policy.maxSegments + 1);
  return smallest.length >= 2 ? states.filter((state) => smallest.includes(state)).map((state) => state.id) : null;
}
