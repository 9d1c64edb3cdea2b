// What every part of the JSON API shares: the error body, the bearer-token security requirement and
// an id parameter. Each route's zod schemas both validate the request and generate the OpenAPI
// document at /api/openapi.json, so the description cannot drift from the behaviour.
import { z } from 'zod';

export const errorSchema = z
  .object({ error: z.string(), message: z.string() })
  .meta({ id: 'Error', title: 'Error' });

/** The security requirement of every route that needs a personal API token. */
export const secured = [{ bearerAuth: [] }];

export const idParams = z.object({ id: z.uuid() });
