// What every streamed upload form shares (event logs, comments): the error a person sees, sizes in
// words, and the CSRF check made on the form's first field, before a byte of the file is read.
// Routes using it opt out of the global CSRF hook with `config: { csrf: 'first-multipart-field' }`
// (src/web/app.ts), because the hook would otherwise have to buffer the whole body to find the token.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** A problem with an uploaded file, meant for the person who sent it. */
export class UploadError extends Error {
  constructor(
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

export function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

/**
 * Reads the form's first part, which must be its `_csrf` field, and checks the token as the global
 * hook would (rejecting with the same 403 when it is missing or wrong). Returns the parts that
 * follow, for the route to stream.
 */
export async function checkCsrfFirst(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<ReturnType<FastifyRequest['parts']>> {
  const parts = request.parts();
  const first = await parts.next();
  const token =
    first.done !== true && first.value.type === 'field' && first.value.fieldname === '_csrf'
      ? first.value.value
      : undefined;
  request.body = { _csrf: typeof token === 'string' ? token : '' };
  await new Promise<void>((resolve, reject) => {
    app.csrfProtection(request, reply, (error?: Error) => (error ? reject(error) : resolve()));
  });
  return parts;
}
