// GOV.UK-style error pages for people, JSON errors for the API, and no stack traces for either.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isApiRequest } from './auth.ts';

/**
 * An API error body, written as it is: a route's response schema describes its own answers (a 400
 * listing a chain's issues), not the errors raised before the handler ran (a body refused by the
 * parser), so the route's serializer would reject them and turn a 400 into a 500.
 */
function sendApiError(reply: FastifyReply, json: Record<string, unknown>): FastifyReply {
  return reply
    .serializer((payload: unknown) => JSON.stringify(payload))
    .type('application/json; charset=utf-8')
    .send(json);
}

async function renderOrSend(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  page: { template: string; title: string; [key: string]: unknown },
  json: Record<string, unknown>,
): Promise<FastifyReply> {
  reply.code(status);
  if (isApiRequest(request)) return sendApiError(reply, json);
  try {
    return await reply.page(page.template, page);
  } catch (error) {
    // If even the error page cannot render, say so plainly rather than fail twice.
    request.log.error(error, 'error page failed to render');
    return reply.type('text/plain; charset=utf-8').send(page.title);
  }
}

/**
 * The one way a route says "not found": the same page (or JSON for the API) as an unknown address,
 * so another organisation's id is indistinguishable from one that never existed. Returns the reply
 * so that an async handler hands it back and Fastify waits for the page to render.
 */
export function notFound(reply: FastifyReply): FastifyReply {
  reply.callNotFound();
  return reply;
}

export async function registerErrorPages(app: FastifyInstance): Promise<void> {
  app.setNotFoundHandler((request, reply) =>
    renderOrSend(
      request,
      reply,
      404,
      { template: 'pages/errors/not-found.njk', title: 'Page not found' },
      { error: 'not_found', message: `Nothing at ${request.method} ${request.url.split('?')[0]}` },
    ),
  );

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      return sendApiError(reply.code(400), {
        error: 'invalid_request',
        message: 'The request does not match the API schema',
        issues: error.validation.map((v) => ({
          path: v.instancePath || '/',
          message: v.message,
        })),
      });
    }
    if (error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET') {
      return renderOrSend(
        request,
        reply,
        403,
        { template: 'pages/errors/csrf.njk', title: 'Your form could not be sent' },
        { error: 'csrf', message: 'Missing or invalid CSRF token' },
      );
    }
    if (error.statusCode === 429) {
      return renderOrSend(
        request,
        reply,
        429,
        { template: 'pages/errors/too-many.njk', title: 'Too many attempts' },
        { error: 'too_many_requests', message: error.message },
      );
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return renderOrSend(
        request,
        reply,
        413,
        { template: 'pages/errors/too-large.njk', title: 'What you sent is too large' },
        { error: 'payload_too_large', message: error.message },
      );
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return renderOrSend(
        request,
        reply,
        error.statusCode,
        {
          template: 'pages/errors/bad-request.njk',
          title: 'There was a problem with your request',
          message: error.message,
        },
        { error: 'bad_request', message: error.message },
      );
    }
    request.log.error(error);
    return renderOrSend(
      request,
      reply,
      500,
      {
        template: 'pages/errors/server-error.njk',
        title: 'Sorry, there is a problem with the service',
      },
      { error: 'internal', message: 'Something went wrong on our side. It has been logged.' },
    );
  });
}
