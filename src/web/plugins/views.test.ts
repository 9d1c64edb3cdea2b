import nunjucks from 'nunjucks';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { govukDist, webDir } from '../assets.ts';
import { compileAllTemplates } from './views.ts';

/** The templates a loader keeps, by the names it was asked for. */
const kept = (env: nunjucks.Environment) =>
  Object.keys(
    (env as unknown as { loaders: { cache: Record<string, unknown> }[] }).loaders[0]?.cache ?? {},
  );

describe('compiling every template before the server listens', () => {
  it('compiles the pages and the GOV.UK macros under the names renders look them up by', () => {
    const env = new nunjucks.Environment(
      new nunjucks.FileSystemLoader([path.join(webDir, 'views'), govukDist]),
      { autoescape: true },
    );
    expect(kept(env)).toHaveLength(0);
    compileAllTemplates(env);
    const names = kept(env);
    expect(names).toContain('layout.njk');
    expect(names).toContain('pages/chains/chain.njk');
    // Imported by pages by name, and including its template by a relative path.
    expect(names).toContain('govuk/components/button/macro.njk');
    expect(names).toContain(path.join(govukDist, 'govuk', 'components', 'button', 'template.njk'));
    // Drawing a page with a GOV.UK macro then compiles nothing more.
    const before = names.length;
    const html = env.renderString(
      '{% from "govuk/components/button/macro.njk" import govukButton %}{{ govukButton({ text: "Save" }) }}',
      {},
    );
    expect(html).toContain('Save');
    expect(kept(env)).toHaveLength(before);
  });
});
