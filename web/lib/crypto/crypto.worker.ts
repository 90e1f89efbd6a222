/// <reference lib="webworker" />
/**
 * The crypto worker: key pairs, CSRs and PKCS#12 files off the main thread (STYLE.md: crypto never
 * on the main thread; spec 04: "in a Web Worker so the page stays responsive"). One task at a time;
 * `pool.ts` gives each worker at most one.
 */
import { handleTask } from './handle-task.ts';
import { CryptoError, type AnswerMessage, type TaskMessage } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<TaskMessage>) => {
  const { id, task } = event.data;
  let answer: AnswerMessage;
  let transfer: Transferable[] = [];
  try {
    const result = await handleTask(task);
    answer = { id, ok: true, result };
    if (result && 'p12' in result) transfer = [result.p12.buffer];
    if (result && 'shroudedKey' in result) transfer = [result.shroudedKey.buffer];
  } catch (e) {
    const failure = e instanceof CryptoError ? e.failure : 'WORKER';
    answer = { id, ok: false, failure, detail: e instanceof Error ? e.message : String(e) };
  }
  scope.postMessage(answer, transfer);
};
