import * as channelAndTemplateSearch from './listSearch';
import { searchRedirects } from './listSearchManage';
import { searchSubscriptions } from './listSearchSubscriptions';
import * as resourceMapping from './resourceMapping';

/** Every list-search method the node's resource locators name. */
export const listSearch = { ...channelAndTemplateSearch, searchRedirects, searchSubscriptions };

export { resourceMapping };
