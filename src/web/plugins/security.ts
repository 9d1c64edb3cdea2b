// Security headers in one place: a strict Content-Security-Policy (scripts only from this origin,
// plus the GOV.UK template's one inline line, allowed by a per-response nonce), no framing (CSP
// frame-ancestors 'none' and, for older browsers, X-Frame-Options DENY: the two agree), no MIME
// sniffing, a referrer policy that keeps invitation and reset links out of other sites' logs, and
// `Cache-Control: no-store` on everything private (see `mustNotBeStored`).
import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Pages whose address itself is a secret (a link sent to one person): never kept by a browser. */
const SECRET_LINK_PATHS = ['/respond/', '/invitations/', '/reset-password/'] as const;

/**
 * True when a response must not be kept by the browser or any cache on the way: everything a
 * signed-in person or an API token sees, every download, and pages reached by a secret link. The
 * stylesheet, scripts and images under /assets/ and the public pages may still be cached.
 */
export function mustNotBeStored(request: FastifyRequest, reply: FastifyReply): boolean {
  const url = request.url;
  if (url.startsWith('/assets/')) return false;
  if (request.principal !== undefined) return true;
  if (url === '/api' || url.startsWith('/api/'))
    return url !== '/api/openapi.json' && !url.startsWith('/api/framework');
  const disposition = reply.getHeader('content-disposition');
  if (typeof disposition === 'string' && disposition.startsWith('attachment')) return true;
  return SECRET_LINK_PATHS.some((prefix) => url.startsWith(prefix));
}

export async function registerSecurityHeaders(
  app: FastifyInstance,
  secure: boolean,
): Promise<void> {
  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        ...(secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: secure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
    // Helmet's default is SAMEORIGIN, which would contradict frame-ancestors 'none'.
    frameguard: { action: 'deny' },
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const current = reply.getHeader('cache-control');
    const kept = typeof current === 'string' && /\bno-store\b/.test(current);
    if (!kept && mustNotBeStored(request, reply)) reply.header('cache-control', 'no-store');
    return payload;
  });
}
