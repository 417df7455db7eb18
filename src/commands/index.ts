import { addArticleFromMessage } from './addArticleFromMessage.js';
import { articleAdd } from './articleAdd.js';
import { articleList } from './articleList.js';
import { articleRemove } from './articleRemove.js';
import { morePassages, share } from './answerActions.js';
import { ask } from './ask.js';
import { askAboutMessage } from './askAboutMessage.js';
import type { Command } from './command.js';
import { feedback } from './feedback.js';
import { feedAdd, feedCheck, feedList, feedRemove } from './feed.js';
import { gaps } from './gaps.js';
import { help } from './help.js';
import { insights } from './insights.js';
import { reload } from './reload.js';
import { search } from './search.js';
import { sources } from './sources.js';

/** Every command, in the order /help lists them. Both front doors serve exactly these. */
export const commands: readonly Command[] = [
  ask,
  insights,
  sources,
  search,
  reload,
  articleAdd,
  articleList,
  articleRemove,
  feedAdd,
  feedList,
  feedRemove,
  feedCheck,
  gaps,
  help,
  askAboutMessage,
  addArticleFromMessage,
  feedback,
  morePassages,
  share,
];
