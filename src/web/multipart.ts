// Reads a whole multipart/form-data body (RFC 7578) that has already been collected within a size
// limit: a small form's fields, uploaded file and CSRF token (the chain import, the CSV of people
// to invite by email). Small and strict on purpose —
// Node 20's built-in FormData parser refuses some valid bodies, and the import needs every field,
// including the CSRF token, before the route runs.
import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface MultipartField {
  readonly name: string;
  /** Set for a file input (possibly empty when no file was chosen). */
  readonly fileName?: string;
  readonly value: Buffer;
}

/** The boundary named by a Content-Type header, or undefined. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  const match = /;\s*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType ?? '');
  const boundary = match?.[1] ?? match?.[2];
  return boundary !== undefined && boundary.length <= 70 ? boundary : undefined;
}

function parameter(header: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(header);
  // Browsers escape quotes and line breaks in names as %22, %0D and %0A (HTML's form encoding).
  return match?.[1]
    ?.replace(/\\(.)/g, '$1')
    .replace(/%22/gi, '"')
    .replace(/%0D/gi, '\r')
    .replace(/%0A/gi, '\n');
}

/** Splits the body into its parts; throws on a body that is not well formed. */
export function parseMultipart(body: Buffer, boundary: string): MultipartField[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const fields: MultipartField[] = [];
  let position = body.indexOf(delimiter);
  if (position < 0) throw new Error('no multipart boundary in the body');
  for (;;) {
    position += delimiter.length;
    if (body.subarray(position, position + 2).toString() === '--') return fields;
    if (body.subarray(position, position + 2).toString() !== '\r\n') {
      throw new Error('malformed multipart delimiter');
    }
    position += 2;
    const headerEnd = body.indexOf('\r\n\r\n', position);
    if (headerEnd < 0) throw new Error('multipart part without headers');
    const headers = body.subarray(position, headerEnd).toString('utf8').split('\r\n');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) throw new Error('multipart part without an end');
    const disposition = headers.find((h) => /^content-disposition:/i.test(h)) ?? '';
    const name = parameter(disposition, 'name');
    if (name !== undefined) {
      const fileName = parameter(disposition, 'filename');
      fields.push({
        name,
        ...(fileName === undefined ? {} : { fileName }),
        value: body.subarray(headerEnd + 4, next),
      });
    }
    position = next + 2;
  }
}

/**
 * Makes `app` (a plugin's own context) read multipart/form-data bodies whole, within `limit` bytes,
 * into plain fields: text for a field, `{ fileName, text }` for a file. Whatever parser other
 * routes use for streamed uploads is replaced in this context only. A body that cannot be read is
 * answered 400.
 */
export function acceptSmallMultipartForms(app: FastifyInstance, limit: number): void {
  if (app.hasContentTypeParser('multipart/form-data')) {
    app.removeContentTypeParser('multipart/form-data');
  }
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: limit },
    async (request: FastifyRequest, body: Buffer) => {
      const boundary = boundaryOf(request.headers['content-type']);
      try {
        if (boundary === undefined) throw new Error('no boundary');
        const out: Record<string, unknown> = {};
        for (const field of parseMultipart(body, boundary)) {
          const text = field.value.toString('utf8');
          out[field.name] =
            field.fileName === undefined ? text : { fileName: field.fileName, text };
        }
        return out;
      } catch {
        throw Object.assign(new Error('The form could not be read'), { statusCode: 400 });
      }
    },
  );
}
