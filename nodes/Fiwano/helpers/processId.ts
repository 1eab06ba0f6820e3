import { randomBytes } from 'crypto';

/**
 * This n8n process, among the processes that share one workflow's static data (queue mode runs
 * several webhook processes against one database). Stored memories (delivery keys, waiting
 * questions) mark their writes with it to tell their own writes from another process's and to spot
 * a write that was lost. A restart gets a new one, which is right: the memory is new too.
 */
export const PROCESS_ID = randomBytes(6).toString('base64url');
