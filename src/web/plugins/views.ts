// Server-rendered pages: Nunjucks with the GOV.UK Design System's templates and macros, and a
// `reply.page()` that adds what every page needs.
import fastifyView from '@fastify/view';
import type { FastifyInstance, FastifyReply } from 'fastify';
import nunjucks from 'nunjucks';
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
  await app.register(fastifyView, {
    engine: { nunjucks },
    templates: [path.join(webDir, 'views'), govukDist],
    production: services.config.env === 'production',
    options: {
      autoescape: true,
      throwOnUndefined: false,
      onConfigure: (env: nunjucks.Environment) => {
        env.addFilter('dateTime', formatDateTime);
        env.addFilter('date', formatDate);
        env.addFilter('json', (value: unknown) => JSON.stringify(value));
      },
    },
  });

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

  app.decorateReply(
    'page',
    async function page(this: FastifyReply, template: string, context: Record<string, unknown>) {
      const request = this.request;
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
          ['/organisation', principal.organisationName],
        ] as const) {
          navigation.push({ href, text, active: request.url.startsWith(href) });
        }
      }
      const csrfToken = this.generateCsrf();
      let flash: { text: string; success: true } | undefined;
      const rawFlash = request.cookies[flashCookie];
      if (rawFlash !== undefined) {
        const unsigned = request.unsignCookie(rawFlash);
        if (unsigned.valid && unsigned.value) flash = { text: unsigned.value, success: true };
        this.clearCookie(flashCookie, { path: '/' });
      }
      const nonces = (this as unknown as { cspNonce?: { script: string } }).cspNonce;
      this.type('text/html; charset=utf-8');
      return this.view(template, {
        ...context,
        principal,
        navigation,
        currentPath: request.url.split('?')[0],
        csrfToken,
        flash: context.flash ?? flash,
        cspNonce: nonces?.script,
        stylesheetUrl,
        citation,
      });
    },
  );
}
