/**
 * `items` in consecutive blocks of `size` (the last one shorter), so that no step of a long job
 * handles them all at once.
 *
 * @example
 * blocksOf([1, 2, 3, 4, 5], 2) // => [[1, 2], [3, 4], [5]]
 */
export function blocksOf<T>(items: readonly T[], size: number): T[][] {
  const blocks: T[][] = [];
  for (let i = 0; i < items.length; i += size) blocks.push(items.slice(i, i + size));
  return blocks;
}
