// Server-rendered pages: Nunjucks with the GOV.UK Design System's templates and macros, and a
// `reply.page()` that adds what every page needs (`reply.keptPage()` also keeps the drawn page).
import fastifyView from '@fastify/view';
import type { FastifyInstance, FastifyReply } from 'fastify';
import nunjucks from 'nunjucks';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { govukDist, webDir } from '../assets.ts';
import type { Services } from '../principal.ts';

const dateTime = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
  timeZone: 'Europe/London',
});
const dateOnly = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
});

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  // GOV.UK style: "4 March 2026 at 2:05pm".
  const parts = dateTime.formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('day')} ${get('month')} ${get('year')} at ${get('hour')}:${get('minute')}${get('dayPeriod').toLowerCase().replace(/\s/g, '')}`;
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? dateOnly.format(new Date(iso)) : '';
}

export async function registerViews(
  app: FastifyInstance,
  services: Services,
  stylesheetUrl: string,
): Promise<void> {
  let environment: nunjucks.Environment | undefined;
  await app.register(fastifyView, {
    engine: { nunjucks },
    templates: [path.join(webDir, 'views'), govukDist],
    production: services.config.env === 'production',
    options: {
      autoescape: true,
      throwOnUndefined: false,
      onConfigure: (env: nunjucks.Environment) => {
        environment = env;
        env.addFilter('dateTime', formatDateTime);
        env.addFilter('date', formatDate);
        // 3046 → "3,046": every count a person reads.
        env.addFilter('number', (value: unknown) =>
          typeof value === 'number' ? value.toLocaleString('en-GB') : value,
        );
        env.addFilter('json', (value: unknown) => JSON.stringify(value));
        // The GOV.UK macros trim every component's markup; Nunjucks' own filter does it with the
        // regular expression /^\s*|\s*$/g, which scans the whole string for trailing space and was
        // among the costliest steps of drawing a page. The native trim removes the same characters
        // (both use ECMAScript's white space and line terminators) and keeps markup marked safe.
        env.addFilter('trim', (value: unknown) => {
          const SafeString = nunjucks.runtime.SafeString;
          return value instanceof SafeString
            ? new SafeString(String(value).trim())
            : String(value).trim();
        });
        // {{ n | plural("comment") }} → "1 comment", "3,046 comments"; an irregular plural is given.
        env.addFilter('plural', (value: unknown, singular: string, pluralForm?: string) =>
          typeof value === 'number'
            ? `${value.toLocaleString('en-GB')} ${value === 1 ? singular : (pluralForm ?? `${singular}s`)}`
            : value,
        );
      },
    },
  });

  // `{% from "…" import x %}` runs the imported template's top level again on every render to
  // collect its macros — twenty or so GOV.UK component files for each page drawn. Imported without
  // context, a template's macros close over a fresh, empty context, so the first set serves every
  // later import of that compiled template (a recompiled template is a new object, with its own).
  cacheContextFreeImports();

  // In production templates are kept once compiled, but Nunjucks compiles each on first use, on
  // the event loop: the first view of a page held every other request for 100–400 ms (measured
  // with /healthz beside an event-log upload). Compiled here instead, before the server listens.
  if (services.config.env === 'production' && environment) compileAllTemplates(environment);

  const citation = services.framework.document.source.citation;
  const flashCookie = 'tl_flash';

  app.decorateReply('flash', function flash(this: FastifyReply, text: string) {
    return this.setCookie(flashCookie, text.slice(0, 500), {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: services.config.secureCookies,
      signed: true,
      maxAge: 60,
    });
  });

  /** What every page needs besides its own context, worked out afresh for each request. */
  function perRequest(reply: FastifyReply) {
    const request = reply.request;
    const principal = request.principal;
    const navigation = [
      {
        href: '/framework',
        text: 'Capability framework',
        active: request.url.startsWith('/framework'),
      },
    ];
    if (principal) {
      // One entry per area of the product, in the order a lead meets them.
      for (const [href, text] of [
        ['/assessments', 'Assessments'],
        ['/chains', 'Delivery chains'],
        ['/logs', 'Event logs'],
        ['/themes', 'Comments'],
        ['/initiatives', 'Initiatives'],
        // The organisation and signing out are in the account bar above (layout.njk).
      ] as const) {
        navigation.push({ href, text, active: request.url.startsWith(href) });
      }
    }
    const csrfToken = reply.generateCsrf();
    let flash: { text: string; success: true } | undefined;
    const rawFlash = request.cookies[flashCookie];
    if (rawFlash !== undefined) {
      const unsigned = request.unsignCookie(rawFlash);
      if (unsigned.valid && unsigned.value) flash = { text: unsigned.value, success: true };
      reply.clearCookie(flashCookie, { path: '/' });
    }
    const nonces = (reply as unknown as { cspNonce?: { script: string } }).cspNonce;
    return {
      principal,
      navigation,
      currentPath: request.url.split('?')[0],
      csrfToken,
      flash,
      cspNonce: nonces?.script,
    };
  }

  function pageContext(
    context: Record<string, unknown>,
    parts: ReturnType<typeof perRequest>,
  ): Record<string, unknown> {
    return {
      ...context,
      principal: parts.principal,
      navigation: parts.navigation,
      currentPath: parts.currentPath,
      csrfToken: parts.csrfToken,
      flash: context.flash ?? parts.flash,
      cspNonce: parts.cspNonce,
      stylesheetUrl,
      citation,
    };
  }

  app.decorateReply(
    'page',
    async function page(this: FastifyReply, template: string, context: Record<string, unknown>) {
      const parts = perRequest(this);
      this.type('text/html; charset=utf-8');
      return this.view(template, pageContext(context, parts));
    },
  );

  app.decorateReply(
    'keptPage',
    async function keptPage(
      this: FastifyReply,
      template: string,
      key: string | undefined,
      context: () => Promise<Record<string, unknown>>,
    ) {
      const parts = perRequest(this);
      this.type('text/html; charset=utf-8');
      // A page with a one-off message is drawn as it is, and so is one without a key.
      if (key === undefined || parts.flash !== undefined || parts.cspNonce === undefined) {
        return this.view(template, pageContext(await context(), parts));
      }
      const principal = parts.principal;
      const fullKey = JSON.stringify([
        template,
        key,
        principal
          ? [
              principal.via,
              principal.userId,
              principal.userName,
              principal.email,
              principal.organisationId,
              principal.organisationName,
              principal.role,
              // The account bar links to the sector pages only for institutions and members.
              principal.inSector === true,
            ]
          : null,
        parts.navigation,
        parts.currentPath,
      ]);
      const filling = { [CSRF_SLOT]: parts.csrfToken, [NONCE_SLOT]: parts.cspNonce };
      const pieces = keptPages.get(fullKey);
      if (pieces) {
        keep(fullKey, pieces);
        return this.send(fill(pieces, filling));
      }
      const data = await context();
      const html = await app.view(template, pageContext(data, parts));
      // Kept only when the placeholders, filled in, give back exactly the page just drawn.
      const withSlots = await app.view(
        template,
        pageContext(data, { ...parts, csrfToken: CSRF_SLOT, cspNonce: NONCE_SLOT }),
      );
      const split = splitSlots(withSlots);
      if (fill(split, filling).equals(Buffer.from(html, 'utf8'))) keep(fullKey, split);
      return this.send(html);
    },
  );
}

/** Every .njk file under `dir`, as paths relative to it. */
function templatesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.njk'))
    .map((file) => file.split(path.sep).join('/'));
}

/**
 * Compiles and keeps every template: the product's pages by the names routes give, and the GOV.UK
 * macros both by their names (`govuk/components/…/macro.njk`, as pages import them) and by their
 * full paths (as their own relative imports and includes resolve them).
 */
type ExportedCallback = (error: unknown, exported?: Record<string, unknown>) => void;
interface Importable {
  getExported(ctx: unknown, parentFrame?: unknown, cb?: ExportedCallback): void;
}
let importsCached = false;

/** Keeps what a template exports when it is imported without context (see registerViews). */
export function cacheContextFreeImports(): void {
  if (importsCached) return;
  importsCached = true;
  const prototype = (nunjucks.Template as unknown as { prototype: Importable }).prototype;
  const original = prototype.getExported;
  const cache = new WeakMap<object, Record<string, unknown>>();
  prototype.getExported = function getExported(
    this: Importable,
    ctx: unknown,
    parentFrame?: unknown,
    cb?: ExportedCallback,
  ) {
    // Only the form `getExported(cb)`: the compiled `{% from … import … %}` without context.
    if (typeof ctx !== 'function' || parentFrame !== undefined)
      return original.call(this, ctx, parentFrame, cb);
    const done = ctx as ExportedCallback;
    const kept = cache.get(this);
    if (kept !== undefined) return done(null, kept);
    original.call(this, (error: unknown, exported?: Record<string, unknown>) => {
      if (!error && exported !== undefined) cache.set(this, exported);
      done(error, exported);
    });
  };
}

export function compileAllTemplates(env: nunjucks.Environment): void {
  for (const name of templatesUnder(path.join(webDir, 'views'))) env.getTemplate(name, true);
  for (const name of templatesUnder(path.join(govukDist, 'govuk'))) {
    env.getTemplate(`govuk/${name}`, true);
    env.getTemplate(path.join(govukDist, 'govuk', name), true);
  }
}

/**
 * Whole pages kept by `reply.keptPage()`, for routes that can name their own context with a key
 * holding everything it is drawn from. The full key adds everything else the layout shows: who is
 * signed in (user, organisation and its name, role), the navigation and the path. The two values
 * that differ on every response, the CSRF token and the CSP nonce, are kept as placeholders (random
 * for each process, so no stored text can forge one) and filled in, escaped as Nunjucks escapes
 * them, for each response. A page is kept only when filling in the placeholders gives back exactly
 * the page drawn the ordinary way, and a page with a one-off message is never kept. Stored as
 * UTF-8, ready to send. Bounded, least recently used first out.
 */
const KEPT_LIMIT = 64;
const keptPages = new Map<string, readonly Buffer[]>();
const SLOT_ID = randomBytes(12).toString('hex');
const CSRF_SLOT = `tl-csrf-slot-${SLOT_ID}`;
const NONCE_SLOT = `tl-nonce-slot-${SLOT_ID}`;
const SLOTS = new RegExp(`(${CSRF_SLOT}|${NONCE_SLOT})`);
const SLOT_NAMES = [CSRF_SLOT, NONCE_SLOT].map((name) => Buffer.from(name, 'utf8'));

/** Nunjucks' own escaping, as `{{ value }}` applies it with autoescape on. */
const escapeHtml = (nunjucks as unknown as { lib: { escape(value: string): string } }).lib.escape;

function keep(key: string, pieces: readonly Buffer[]): void {
  keptPages.delete(key);
  keptPages.set(key, pieces);
  while (keptPages.size > KEPT_LIMIT) {
    const oldest = keptPages.keys().next().value;
    if (oldest === undefined) break;
    keptPages.delete(oldest);
  }
}

/** Text and placeholders in turn: even pieces are text, odd pieces name a placeholder. */
function splitSlots(html: string): Buffer[] {
  return html.split(SLOTS).map((piece) => Buffer.from(piece, 'utf8'));
}

function fill(pieces: readonly Buffer[], values: Readonly<Record<string, string>>): Buffer {
  return Buffer.concat(
    pieces.map((piece, i) => {
      if (i % 2 === 0) return piece;
      const name = SLOT_NAMES.find((slot) => slot.equals(piece))?.toString('utf8') ?? '';
      return Buffer.from(escapeHtml(values[name] ?? ''), 'utf8');
    }),
  );
}

declare module 'fastify' {
  interface FastifyReply {
    /**
     * Like `page()`, but keeps the drawn page under `key` (which must name everything `context`
     * yields) and sends it again, with a fresh CSRF token and nonce, while the key still matches.
     * `context` is called only when the page has to be drawn. Without a key, draws as `page()`
     * does.
     */
    keptPage(
      template: string,
      key: string | undefined,
      context: () => Promise<Record<string, unknown>>,
    ): Promise<FastifyReply>;
  }
}
