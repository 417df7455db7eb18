import { UserError } from '../errors.js';
import type { ButtonDefinition, OptionDefinition } from './command.js';
import type { Page, ReplyButton } from './reply.js';

/** The `page` option of a paged list, up to page `max`. */
export function pageOption(max: number) {
  return {
    name: 'page',
    description: 'Page of the list (default 1)',
    type: 'integer',
    required: false,
    minValue: 1,
    maxValue: max,
  } as const satisfies OptionDefinition;
}

/**
 * The page buttons of a paged list: `<prefix>:<page>:<p|n>` (the direction keeps one reply's ids
 * distinct), each running the list's command with that page.
 */
export function pageButtonsFor(prefix: string): ButtonDefinition {
  const pattern = new RegExp(`^${prefix}:(\\d{1,5}):[pn]$`);
  return {
    prefix,
    parse(id) {
      const match = pattern.exec(id);
      return match ? { page: Number(match[1]) } : null;
    },
  };
}

/**
 * One page of `items`, `size` to a page: the items on it, where it stands, and ◀ ▶ buttons (`buttons`
 * from {@link pageButtonsFor}) when there is more than one page.
 *
 * @throws {UserError} when there is no such page.
 */
export function pageOf<T>(
  items: readonly T[],
  page: number,
  size: number,
  buttons: ButtonDefinition,
): { shown: T[]; page: Page; buttons?: ReplyButton[] } {
  const pageCount = Math.max(1, Math.ceil(items.length / size));
  if (!Number.isInteger(page) || page < 1 || page > pageCount)
    throw new UserError(`There is no page ${page}: the list has ${pageCount} page${pageCount === 1 ? '' : 's'}.`);
  const button = (label: string, step: 'previous' | 'next', to: number, disabled: boolean): ReplyButton => ({
    id: `${buttons.prefix}:${Math.max(1, to)}:${step === 'previous' ? 'p' : 'n'}`,
    label,
    disabled,
    step,
  });
  return {
    shown: items.slice((page - 1) * size, page * size),
    page: { page, pageCount, first: (page - 1) * size + 1 },
    ...(pageCount > 1
      ? {
          buttons: [
            button('◀ Previous', 'previous', page - 1, page <= 1),
            button('Next ▶', 'next', page + 1, page >= pageCount),
          ],
        }
      : {}),
  };
}
