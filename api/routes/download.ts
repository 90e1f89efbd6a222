/** A file download answer: its type and `Content-Disposition: attachment` with a safe ASCII file name. */
import type { Context } from 'hono';
import type { AppEnv } from '../http/types.ts';

/** A web ReadableStream that pulls `chunks` as the client reads (backpressure: nothing is made ahead). */
export function streamOf(chunks: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await it.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await it.return?.();
    },
  });
}

export function download(c: Context<AppEnv>, fileName: string, type: string, body: string | Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>): Response {
  c.header('Content-Type', type);
  c.header('Content-Disposition', `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
  return c.body(body as never);
}
