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
  let first: Awaited<ReturnType<typeof parts.next>>;
  try {
    first = await parts.next();
  } catch (error) {
    throw malformedUpload(error) ?? error;
  }
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

/**
 * The multipart parser's complaints about a body cut short or badly formed (it gives them no code),
 * as the person's error; anything else is not theirs to fix (found by test/integration/fuzz.test.ts:
 * a form missing its closing boundary was a 500).
 */
export function malformedUpload(error: unknown): UploadError | undefined {
  const message = error instanceof Error ? error.message : '';
  if (
    /^(Unexpected end of (multipart data|form)|Malformed part header|Multipart: Boundary not found)/.test(
      message,
    )
  )
    return new UploadError(
      'The upload was cut short or badly formed. Choose the file again and upload it once more.',
    );
  return undefined;
}
