/**
 * `POST /emulator/index`: the emulator-only route that indexes Product Search
 * now (see `product-search/product-index.ts`), so a test running with an
 * index interval can make its changes searchable when it wants. The path is
 * outside Google's API (`/v1…`, `/v1p4beta1/…`, `/storage/…`), like
 * `/emulator/stats`. Answers `{"mode":"instant"|"interval","indexTime":
 * "<RFC 3339>","productSets":N}`; other methods are 405 with `Allow: POST`.
 */
import { Code, VisionError } from 'vision-kit';
import { readBody, sendError, sendJson } from 'vision-kit/serving';
import type { ProductIndex } from '../product-search/product-index.js';
import type { HttpRoutes } from './emulator-http.js';

/** The path of the route. */
export const INDEX_PATH = '/emulator/index';

const MAX_BODY_BYTES = 64 * 1024;

/** The route over an index. */
export function createIndexRoute(index: Pick<ProductIndex, 'indexNow'>): HttpRoutes {
  return {
    handles: (pathname) => pathname === INDEX_PATH,
    async handle(req, res) {
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        sendError(
          req,
          res,
          new VisionError(Code.UNIMPLEMENTED, `${INDEX_PATH} takes POST (it indexes Product Search now)`, { httpStatus: 405 }),
        );
        return;
      }
      // A body (up to 64 KiB) is allowed and ignored; it is read so that the connection can be reused.
      try {
        await readBody(req, MAX_BODY_BYTES);
      } catch (err) {
        sendError(req, res, err instanceof VisionError ? err : VisionError.from(err, Code.INTERNAL));
        return;
      }
      const run = index.indexNow();
      sendJson(res, 200, { mode: run.mode, indexTime: new Date(run.indexTime).toISOString(), productSets: run.productSets });
    },
  };
}
