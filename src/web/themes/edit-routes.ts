// People stay in charge of themes (issue 6, point 4): a theme's page with its quotes, trend and
// comments; renaming, merging and splitting themes; moving a comment to another theme or to "other";
// and linking a theme to a delivery-chain stage or a capability, so a recurring complaint becomes
// evidence. Every change is re-applied by the engine over its own themes and written with an audit
// entry; a re-run carries the changes over (services/themes). Members and above edit; viewers read.
import { countOf } from '../../lib/plural.ts';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  ThemeEditError,
  mergeThemes,
  moveComment,
  renameTheme,
  splitTheme,
} from '../../services/themes/index.ts';
import type { Analysis, CommentSet } from '../../storage/index.ts';
import { formErrors, parseForm, type FormErrors } from '../forms.ts';
import { requireRole, requireSignIn } from '../plugins/auth.ts';
import type { Services } from '../principal.ts';
import { analysisPage, themeHref, themePage } from './view.ts';
import { canEditThemes, themesCrumbs } from './shared.ts';
import { notFound } from '../plugins/errors.ts';

const ID = /^[0-9a-f-]{36}$/;
const KEY = /^[a-z0-9-]{1,60}$/;
const PAGE_SIZE = 50;

type Params = { analysisId: string; key?: string; commentId?: string; linkId?: string };

function errorsOf(errors: FormErrors) {
  return { errors: errors.list, fieldErrors: errors.byField };
}

const label = (what: string) =>
  z
    .string()
    .trim()
    .min(1, { message: `Enter ${what}` })
    .max(120, {
      message: `${what.charAt(0).toUpperCase()}${what.slice(1)} must be 120 characters or fewer`,
    });

const asList = (value: unknown): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String);

export const themeEditRoutes: FastifyPluginAsync<{ services: Services }> = async (
  app,
  { services },
) => {
  const signedIn = { preHandler: requireSignIn };
  const member = { preHandler: requireRole('member') };

  /** The finished analysis named in the address, with its set; undefined means 404. */
  async function load(
    request: FastifyRequest<{ Params: Params }>,
  ): Promise<{ analysis: Analysis; set: CommentSet } | undefined> {
    const { analysisId, key } = request.params;
    if (!ID.test(analysisId) || (key !== undefined && !KEY.test(key))) return undefined;
    const analysis = await request.scope.themes.analysis(analysisId);
    if (!analysis || analysis.status !== 'done') return undefined;
    const set = await request.scope.themes.set(analysis.setId);
    return set ? { analysis, set } : undefined;
  }

  const crumbs = (set: CommentSet, analysisId: string, text: string) =>
    themesCrumbs(
      { text: set.name, href: `/themes/sets/${set.id}` },
      { text: 'Themes', href: `/themes/analyses/${analysisId}` },
      { text },
    );

  async function showTheme(
    request: FastifyRequest<{ Params: Params; Querystring: { from?: string } }>,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ) {
    const loaded = await load(request);
    if (!loaded) return notFound(reply);
    const { analysis, set } = loaded;
    const key = request.params.key;
    const theme = key === undefined ? null : await request.scope.themes.theme(analysis.id, key);
    if (theme === undefined) return notFound(reply);
    const from = Math.max(0, Number.parseInt(request.query.from ?? '0', 10) || 0);
    const page = await themePage(
      request.scope,
      set,
      analysis,
      theme,
      { offset: from, limit: PAGE_SIZE },
      {
        canEdit: canEditThemes(request),
        values: { label: theme?.label ?? '' },
        breadcrumbs: crumbs(set, analysis.id, theme?.label ?? 'Other'),
        ...extra,
      },
    );
    return reply.page('pages/themes/theme.njk', page);
  }

  app.get<{ Params: Params; Querystring: { from?: string } }>(
    '/themes/analyses/:analysisId/themes/:key',
    signedIn,
    (request, reply) => showTheme(request, reply),
  );

  app.get<{ Params: Params; Querystring: { from?: string } }>(
    '/themes/analyses/:analysisId/other',
    signedIn,
    (request, reply) => showTheme(request, reply),
  );

  /** Runs an edit; a refusal re-renders the theme page with the reason. */
  async function edit(
    request: FastifyRequest<{ Params: Params; Querystring: { from?: string } }>,
    reply: FastifyReply,
    work: () => Promise<string>,
    field: string,
    values: Record<string, unknown> = {},
  ) {
    try {
      const location = await work();
      return reply.redirect(location, 303);
    } catch (error) {
      if (!(error instanceof ThemeEditError)) throw error;
      reply.code(400);
      return showTheme(request, reply, {
        values,
        ...errorsOf(formErrors([[field, error.message]])),
      });
    }
  }

  // ---- rename ----

  app.post<{ Params: Params; Querystring: { from?: string } }>(
    '/themes/analyses/:analysisId/themes/:key/rename',
    member,
    async (request, reply) => {
      const loaded = await load(request);
      const key = request.params.key ?? '';
      if (!loaded || !(await request.scope.themes.theme(loaded.analysis.id, key)))
        return notFound(reply);
      const form = parseForm(z.object({ label: label('a name for the theme') }), request.body);
      if (!form.ok) {
        reply.code(400);
        return showTheme(request, reply, { values: form.values, ...errorsOf(form.errors) });
      }
      return edit(
        request,
        reply,
        async () => {
          await renameTheme(request.scope, loaded.analysis.id, key, form.data.label);
          reply.flash(`Theme renamed “${form.data.label}”.`);
          return themeHref(loaded.analysis.id, key);
        },
        'label',
        form.data,
      );
    },
  );

  // ---- merge (from the themes page) ----

  app.post<{ Params: Params }>(
    '/themes/analyses/:analysisId/merge',
    member,
    async (request, reply) => {
      const loaded = await load(request);
      if (!loaded) return notFound(reply);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const keys = asList(body.themes).filter((k) => KEY.test(k));
      const name = typeof body.label === 'string' ? body.label.trim() : '';
      const problem =
        keys.length < 2
          ? 'Choose two or more themes to merge'
          : name.length > 120
            ? 'The name must be 120 characters or fewer'
            : null;
      const refuse = async (message: string, field: string) => {
        reply.code(400);
        return reply.page('pages/themes/analysis.njk', {
          ...(await analysisPage(request.scope, loaded.set, loaded.analysis, {
            canEdit: true,
            breadcrumbs: themesCrumbs(
              { text: loaded.set.name, href: `/themes/sets/${loaded.set.id}` },
              { text: 'Themes' },
            ),
          })),
          values: { themes: keys, label: name },
          ...errorsOf(formErrors([[field, message]])),
        });
      };
      if (problem !== null) return refuse(problem, keys.length < 2 ? 'themes' : 'label');
      try {
        const kept = await mergeThemes(
          request.scope,
          loaded.analysis.id,
          keys,
          name === '' ? undefined : name,
        );
        reply.flash(`${keys.length} themes merged into one.`);
        return reply.redirect(themeHref(loaded.analysis.id, kept), 303);
      } catch (error) {
        if (!(error instanceof ThemeEditError)) throw error;
        return refuse(error.message, 'themes');
      }
    },
  );

  // ---- split ----

  app.post<{ Params: Params; Querystring: { from?: string } }>(
    '/themes/analyses/:analysisId/themes/:key/split',
    member,
    async (request, reply) => {
      const loaded = await load(request);
      const key = request.params.key ?? '';
      if (!loaded || !(await request.scope.themes.theme(loaded.analysis.id, key)))
        return notFound(reply);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const comments = asList(body.comments).filter((c) => ID.test(c));
      const form = parseForm(z.object({ newLabel: label('a name for the new theme') }), {
        newLabel: body.newLabel,
      });
      if (comments.length === 0 || !form.ok) {
        reply.code(400);
        return showTheme(request, reply, {
          values: { newLabel: body.newLabel, comments },
          ...errorsOf(
            formErrors([
              ...(comments.length === 0
                ? ([['comments', 'Choose the comments that belong in the new theme']] as [
                    string,
                    string,
                  ][])
                : []),
              ...(form.ok
                ? []
                : form.errors.list.map((e) => ['newLabel', e.text] as [string, string])),
            ]),
          ),
        });
      }
      return edit(
        request,
        reply,
        async () => {
          const newKey = await splitTheme(
            request.scope,
            loaded.analysis.id,
            key,
            comments,
            form.data.newLabel,
          );
          reply.flash(
            `${comments.length} comment${comments.length === 1 ? '' : 's'} split off into “${form.data.newLabel}”.`,
          );
          return themeHref(loaded.analysis.id, newKey);
        },
        'comments',
        { newLabel: form.data.newLabel },
      );
    },
  );

  // ---- move a comment ----

  async function movePage(
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    extra: Record<string, unknown>,
  ) {
    const loaded = await load(request);
    const commentId = request.params.commentId ?? '';
    if (!loaded || !ID.test(commentId)) return notFound(reply);
    const comment = await request.scope.themes.comment(loaded.analysis.id, commentId);
    if (!comment) return notFound(reply);
    const themes = await request.scope.themes.themes(loaded.analysis.id);
    const current = comment.themeKey ?? (comment.reason === 'other' ? 'other' : '');
    const back =
      comment.themeKey !== null
        ? themeHref(loaded.analysis.id, comment.themeKey)
        : `/themes/analyses/${loaded.analysis.id}/other`;
    return reply.page('pages/themes/move.njk', {
      title: 'Move a comment to another theme',
      comment,
      setAside: comment.reason === 'blank' || comment.reason === 'duplicate',
      items: [
        ...themes.map((t) => ({
          value: t.key,
          text: t.label,
          hint: { text: countOf(t.size, 'comment') },
          checked: t.key === current,
        })),
        { divider: 'or' },
        { value: 'other', text: 'Other: fits no theme', checked: current === 'other' },
      ],
      back,
      breadcrumbs: crumbs(loaded.set, loaded.analysis.id, 'Move a comment'),
      ...extra,
    });
  }

  app.get<{ Params: Params }>(
    '/themes/analyses/:analysisId/comments/:commentId/move',
    member,
    (request, reply) => movePage(request, reply, {}),
  );

  app.post<{ Params: Params }>(
    '/themes/analyses/:analysisId/comments/:commentId/move',
    member,
    async (request, reply) => {
      const loaded = await load(request);
      const commentId = request.params.commentId ?? '';
      if (!loaded || !ID.test(commentId)) return notFound(reply);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const to = typeof body.to === 'string' ? body.to : '';
      if (to === '' || (to !== 'other' && !KEY.test(to))) {
        reply.code(400);
        return movePage(
          request,
          reply,
          errorsOf(formErrors([['to', 'Choose where the comment belongs']])),
        );
      }
      try {
        const target = to === 'other' ? null : to;
        await moveComment(request.scope, loaded.analysis.id, commentId, target);
        reply.flash('Comment moved.');
        return reply.redirect(
          target === null
            ? `/themes/analyses/${loaded.analysis.id}/other`
            : themeHref(loaded.analysis.id, target),
          303,
        );
      } catch (error) {
        if (!(error instanceof ThemeEditError)) throw error;
        reply.code(400);
        return movePage(request, reply, errorsOf(formErrors([['to', error.message]])));
      }
    },
  );

  // ---- link to a chain stage or a capability ----

  async function linkOptions(request: FastifyRequest) {
    const stages: { value: string; text: string }[] = [];
    for (const summary of await request.scope.chains.list()) {
      const chain = await request.scope.chains.get(summary.id);
      for (const stage of chain?.model.stages ?? [])
        stages.push({
          value: `${summary.id}:${stage.id}`,
          text: `${summary.name} — ${stage.name}`,
        });
    }
    const capabilities = services.framework.capabilities.map((c) => ({
      value: c.id,
      text: `${c.number}. ${c.name}`,
    }));
    return { stages, capabilities };
  }

  async function linkPage(
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    extra: Record<string, unknown>,
  ) {
    const loaded = await load(request);
    const key = request.params.key ?? '';
    const theme = loaded ? await request.scope.themes.theme(loaded.analysis.id, key) : undefined;
    if (!loaded || !theme) return notFound(reply);
    const { stages, capabilities } = await linkOptions(request);
    return reply.page('pages/themes/link.njk', {
      title: `Link “${theme.label}” to where it matters`,
      theme,
      stages: [
        { value: '', text: stages.length ? 'Choose a stage' : 'No delivery chains yet' },
        ...stages,
      ],
      capabilities: [{ value: '', text: 'Choose a capability' }, ...capabilities],
      back: themeHref(loaded.analysis.id, theme.key),
      action: `${themeHref(loaded.analysis.id, theme.key)}/link`,
      values: {},
      breadcrumbs: crumbs(loaded.set, loaded.analysis.id, theme.label),
      ...extra,
    });
  }

  app.get<{ Params: Params }>(
    '/themes/analyses/:analysisId/themes/:key/link',
    member,
    (request, reply) => linkPage(request, reply, {}),
  );

  app.post<{ Params: Params }>(
    '/themes/analyses/:analysisId/themes/:key/link',
    member,
    async (request, reply) => {
      const loaded = await load(request);
      const key = request.params.key ?? '';
      const theme = loaded ? await request.scope.themes.theme(loaded.analysis.id, key) : undefined;
      if (!loaded || !theme) return notFound(reply);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const values = { stage: body.stage, capability: body.capability };
      const refuse = (field: string, message: string) => {
        reply.code(400);
        return linkPage(request, reply, { values, ...errorsOf(formErrors([[field, message]])) });
      };
      const { stages, capabilities } = await linkOptions(request);
      const stage = stages.find((s) => s.value !== '' && s.value === body.stage);
      const capability = capabilities.find((c) => c.value !== '' && c.value === body.capability);
      if (typeof body.stage === 'string' && body.stage !== '' && !stage)
        return refuse('stage', 'Choose a stage from the list');
      if (typeof body.capability === 'string' && body.capability !== '' && !capability)
        return refuse('capability', 'Choose a capability from the list');
      if (!stage && !capability)
        return refuse('stage', 'Choose a stage of a delivery chain, a capability, or both');
      try {
        await request.scope.transaction(async (scope) => {
          if (stage) {
            const [chainId, stageId] = stage.value.split(':');
            await scope.themes.addLink(loaded.analysis.id, key, {
              kind: 'stage',
              chainId,
              stageId,
              note: stage.text,
            });
          }
          if (capability)
            await scope.themes.addLink(loaded.analysis.id, key, {
              kind: 'capability',
              capabilityId: capability.value,
              note: `Capability ${capability.text}`,
            });
        });
      } catch (error) {
        if (!(error instanceof ThemeEditError)) throw error;
        return refuse(stage ? 'stage' : 'capability', error.message);
      }
      reply.flash(`“${theme.label}” linked.`);
      return reply.redirect(themeHref(loaded.analysis.id, key), 303);
    },
  );

  app.post<{ Params: Params }>(
    '/themes/analyses/:analysisId/links/:linkId/delete',
    member,
    async (request, reply) => {
      const loaded = await load(request);
      const linkId = request.params.linkId ?? '';
      if (!loaded || !ID.test(linkId)) return notFound(reply);
      const link = (await request.scope.themes.links(loaded.analysis.id)).find(
        (l) => l.id === linkId,
      );
      if (!link || !(await request.scope.themes.removeLink(loaded.analysis.id, linkId)))
        return notFound(reply);
      reply.flash(`Link to ${link.note} removed.`);
      return reply.redirect(themeHref(loaded.analysis.id, link.themeKey), 303);
    },
  );
};
