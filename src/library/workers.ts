import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * Starts the worker module `name` (a file next to this one) with `data`: the compiled JavaScript in
 * production; under tsx or vitest the TypeScript source, which a worker can only load after
 * registering tsx itself.
 *
 * @example
 * const worker = startWorker('buildWorker', { dataDir: 'data', snapshotFile: null });
 */
export function startWorker(
  name: 'buildWorker' | 'importWorker',
  data: unknown,
  resourceLimits?: ResourceLimits,
): Worker {
  const extension = path.extname(fileURLToPath(import.meta.url));
  const target = new URL(`./${name}${extension}`, import.meta.url);
  const options = { workerData: data, ...(resourceLimits ? { resourceLimits } : {}) };
  if (extension === '.js') return new Worker(target, options);
  const code = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(target.href)}); })`;
  return new Worker(code, { ...options, eval: true });
}
