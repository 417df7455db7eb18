/**
 * Small, deterministic model fitting for `npm run train`: a listwise softmax ranker and a
 * class-weighted logistic regression, both by full-batch gradient descent with Adam.
 */

/** One question's candidates: their feature rows, which are right, and how much the question counts (1 by default). */
export interface RankingExample {
  rows: number[][];
  right: boolean[];
  weight?: number;
}

/** Adam steps over a full-batch gradient. */
function adam(weights: number[], gradient: (w: number[]) => number[], steps: number, rate: number): number[] {
  const w = [...weights];
  const m = w.map(() => 0);
  const v = w.map(() => 0);
  for (let step = 1; step <= steps; step++) {
    const g = gradient(w);
    for (let i = 0; i < w.length; i++) {
      const gi = g[i] ?? 0;
      m[i] = 0.9 * (m[i] ?? 0) + 0.1 * gi;
      v[i] = 0.999 * (v[i] ?? 0) + 0.001 * gi * gi;
      const mHat = (m[i] ?? 0) / (1 - 0.9 ** step);
      const vHat = (v[i] ?? 0) / (1 - 0.999 ** step);
      w[i] = (w[i] ?? 0) - (rate * mHat) / (Math.sqrt(vHat) + 1e-8);
    }
  }
  return w;
}

const dot = (w: readonly number[], x: readonly number[]): number => x.reduce((sum, xi, i) => sum + xi * (w[i] ?? 0), 0);

/**
 * Weights that put a right candidate first: minimises, over questions with a right candidate,
 * −log of the softmax probability mass on the right ones, plus an L2 penalty.
 */
export function fitRanker(examples: readonly RankingExample[], initial: number[], l2 = 1e-3, steps = 400): number[] {
  const usable = examples.filter((e) => e.right.some(Boolean) && e.rows.length > 1);
  const total = usable.reduce((sum, e) => sum + (e.weight ?? 1), 0);
  return adam(
    initial,
    (w) => {
      const g = w.map((wi) => 2 * l2 * wi);
      for (const { rows, right, weight = 1 } of usable) {
        const scores = rows.map((row) => dot(w, row));
        const top = Math.max(...scores);
        const exps = scores.map((s) => Math.exp(s - top));
        const all = exps.reduce((a, b) => a + b, 0);
        const good = exps.reduce((a, e, i) => a + (right[i] ? e : 0), 0);
        rows.forEach((row, i) => {
          const p = (exps[i] ?? 0) / all;
          const q = right[i] ? (exps[i] ?? 0) / good : 0;
          for (let k = 0; k < row.length; k++) g[k] = (g[k] ?? 0) + ((p - q) * (row[k] ?? 0) * weight) / total;
        });
      }
      return g;
    },
    steps,
    0.05,
  );
}

/** Logistic regression with the two classes weighted equally (rows weighted by `weights` within each); returns [bias, ...weights]. */
export function fitLogistic(
  rows: readonly number[][],
  labels: readonly boolean[],
  weights: readonly number[] = [],
  l2 = 1e-3,
  steps = 1500,
): number[] {
  const positives = labels.reduce((sum, label, i) => sum + (label ? (weights[i] ?? 1) : 0), 0);
  const negatives = labels.reduce((sum, label, i) => sum + (label ? 0 : (weights[i] ?? 1)), 0);
  const width = rows[0]?.length ?? 0;
  // The rows in one typed array, and each row's weight in the loss: hundreds of thousands of
  // products per step, thousands of steps.
  const matrix = new Float64Array(rows.length * width);
  rows.forEach((row, n) => matrix.set(row, n * width));
  const scale = labels.map((label, n) => (weights[n] ?? 1) * (label ? 0.5 / positives : 0.5 / negatives));
  return adam(
    new Array<number>(width + 1).fill(0),
    (w) => {
      const g = w.map((wi, i) => (i === 0 ? 0 : 2 * l2 * wi));
      for (let n = 0; n < rows.length; n++) {
        const at = n * width;
        let z = w[0] ?? 0;
        for (let k = 0; k < width; k++) z += (w[k + 1] ?? 0) * (matrix[at + k] ?? 0);
        const error = (1 / (1 + Math.exp(-z)) - (labels[n] ? 1 : 0)) * (scale[n] ?? 0);
        g[0] = (g[0] ?? 0) + error;
        for (let k = 0; k < width; k++) g[k + 1] = (g[k + 1] ?? 0) + error * (matrix[at + k] ?? 0);
      }
      return g;
    },
    steps,
    0.05,
  );
}
