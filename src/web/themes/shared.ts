// What the themes routes share: breadcrumbs and who may change themes (members and above).
import type { FastifyRequest } from 'fastify';
import { hasRole } from '../principal.ts';

export const themesCrumbs = (...more: { text: string; href?: string }[]) => [
  { text: 'Home', href: '/' },
  { text: 'Comments', href: '/themes' },
  ...more,
];

export const canEditThemes = (request: FastifyRequest): boolean =>
  request.principal !== undefined && hasRole(request.principal.role, 'member');
