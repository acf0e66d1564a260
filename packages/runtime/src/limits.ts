/** Default largest response body a call reads: 10 MiB. */
export const defaultMaxResponseBytes = 10 * 1024 * 1024;

/**
 * The response, or a copy whose body errors with `over()` past `limit` bytes: the caller's own
 * typed error, so a stream read after the call returns fails with an Error too. A declared
 * Content-Length is trusted (HTTP framing never delivers more) unless the body is compressed, so
 * an ordinary response passes through untouched; an oversized declared one throws at once.
 */
export function limitBody(response: Response, limit: number, over: () => Error): Response {
  const { body, headers } = response;
  if (body === null) return response;
  const length = headers.get("content-length");
  if (length !== null && !headers.has("content-encoding")) {
    if (Number(length) <= limit) return response;
    void body.cancel().catch(() => undefined);
    throw over();
  }
  let seen = 0;
  const counted = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(over());
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Response(counted, { status: response.status, statusText: response.statusText, headers });
}
