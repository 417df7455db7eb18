import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * Starts the worker module `name`, a file next to the module `from` (its `import.meta.url`), with
 * `data`: the compiled JavaScript in production; under tsx or vitest the TypeScript source, which a
 * worker can only load after registering tsx itself.
 *
 * @example
 * const worker = startWorker(import.meta.url, 'buildWorker', { dataDir: 'data', snapshotFile: null });
 */
export function startWorker(from: string, name: string, data: unknown, resourceLimits?: ResourceLimits): Worker {
  const extension = path.extname(fileURLToPath(from));
  const target = new URL(`./${name}${extension}`, from);
  const options = { workerData: data, ...(resourceLimits ? { resourceLimits } : {}) };
  if (extension === '.js') return new Worker(target, options);
  const code = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(target.href)}); })`;
  return new Worker(code, { ...options, eval: true });
}
