/**
 * tus-js-client settings both upload clients share (the files page's queue,
 * the editor's panels).
 *
 * 32 MiB per PATCH: each request stays well inside Node's 5-minute request
 * timeout on a slow line and under the body limits reverse proxies often
 * set, and a dropped connection costs at most one chunk.
 */
export const UPLOAD_CHUNK_BYTES = 32 * 1024 * 1024;

export const UPLOAD_RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000];

/**
 * Lost connections, timeouts and server hiccups are worth another try;
 * refusals are final — and so is 507, the server's disk full: retrying would
 * only hide the message until the retries run out.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 0 || status === 408 || status === 423 || (status >= 500 && status !== 507);
}
