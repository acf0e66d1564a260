/** Default largest response body a call reads: 10 MiB. */
export const defaultMaxResponseBytes = 10 * 1024 * 1024;

/** What a body over its limit errors with; the caller turns it into its own typed error. */
export const tooLarge = Object.freeze({ reason: "cx-openapi: body over its size limit" });

/**
 * The response, or a copy whose body errors with `tooLarge` past `limit` bytes. A declared
 * Content-Length is trusted (HTTP framing never delivers more) unless the body is compressed, so
 * an ordinary response passes through untouched; an oversized declared one throws at once.
 */
export function limitBody(response: Response, limit: number): Response {
  const { body, headers } = response;
  if (body === null) return response;
  const length = headers.get("content-length");
  if (length !== null && !headers.has("content-encoding")) {
    if (Number(length) <= limit) return response;
    void body.cancel().catch(() => undefined);
    throw tooLarge;
  }
  let seen = 0;
  const counted = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(tooLarge);
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Response(counted, { status: response.status, statusText: response.statusText, headers });
}
