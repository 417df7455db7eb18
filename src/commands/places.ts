import type { SpreadReload } from '../fleet/fleet.js';
import type { Reply } from './reply.js';

/**
 * `reply` with where a change reached, when the content is served in more than one place (shards,
 * machines): a line for each place that answered, one for each that did not, and why the others
 * were not told when they could not be.
 *
 * @example
 * withPlaces(reply, await context.reloadContent()).lists // => [..., { heading: 'Where it is served: 2 of 2 have the change', items: [...] }]
 */
export function withPlaces(reply: Reply, spread: SpreadReload): Reply {
  const count = spread.places.length + spread.missing.length;
  if (count <= 1 && spread.untold === null) return reply;
  const have = spread.places.filter((place) => place.applied).length;
  const items = [
    ...spread.places.map(
      (p) =>
        `${p.where}: ${p.applied ? `reloaded, serving ${p.articles} article${p.articles === 1 ? '' : 's'}, ${p.passages} passages` : `refused (${p.problems} problem${p.problems === 1 ? '' : 's'}), previous content still serving`}`,
    ),
    ...spread.missing.map(
      (where) => `${where}: did not answer in time (it may still be rebuilding; it catches up from the database)`,
    ),
    ...(spread.untold === null ? [] : [`The other machines were not told: ${spread.untold}. Run /reload again soon.`]),
  ];
  return {
    ...reply,
    lists: [...(reply.lists ?? []), { heading: `Where it is served: ${have} of ${count} have the change`, items }],
  };
}
