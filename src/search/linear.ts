/** Small pieces of linear models: products, the logistic function, pairwise features. */

/**
 * The features followed by every product of two of them (each with itself too): lets a linear
 * model say "full coverage is convincing only when the question has more than one word".
 *
 * @example
 * withPairs([2, 3]) // => [2, 3, 4, 6, 9]
 */
export function withPairs(features: readonly number[]): number[] {
  const out = [...features];
  for (let i = 0; i < features.length; i++)
    for (let j = i; j < features.length; j++) out.push((features[i] ?? 0) * (features[j] ?? 0));
  return out;
}

/** How many values {@link withPairs} makes of `n` features. */
export function pairedLength(n: number): number {
  return n + (n * (n + 1)) / 2;
}

/** The logistic function. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Σ weight × feature. */
export function dot(weights: readonly number[], features: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += (weights[i] ?? 0) * (features[i] ?? 0);
  return sum;
}
