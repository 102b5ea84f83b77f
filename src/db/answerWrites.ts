import { AsyncLocalStorage } from 'node:async_hooks';
import type { PreparedStatements } from './preparedStatements.js';

// The scope of one answer whose writes are all held (its statements' holding scope).
const answer = new AsyncLocalStorage<PreparedStatements>();

/**
 * Runs `body` (the making of one answer) with every write that asks `answerWritesHeld()` held, then
 * commits them together (holdingWrites: one commit, in order) before returning: an authorization answer's
 * interaction, session, code and signed-in device, or a consent's grant, interaction result and audit
 * record, each had its own commit. Only for answers that read none of their own writes back: a held write
 * is not in the database until the body has finished.
 */
export function holdingAnswerWrites<T>(sql: PreparedStatements, body: () => Promise<T>): Promise<T> {
  return answer.run(sql, () => sql.holdingWrites(body));
}

/** Whether a write asked for now belongs to an answer being held (holdingAnswerWrites). */
export function answerWritesHeld(): boolean {
  return answer.getStore()?.holding() === true;
}
