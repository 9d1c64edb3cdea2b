import { describe, expect, it } from 'vitest';
import { defaultFramework } from '../framework/index.ts';
import { attentionOrderNote } from './order-note.ts';

describe('attentionOrderNote', () => {
  it('explains an organisation round with organisation capabilities and sections', () => {
    const note = attentionOrderNote(defaultFramework, 'organisation');
    expect(note).toContain(
      'Organisational Learning comes before Planning & Prioritisation (section 3)',
    );
    expect(note).toContain('Managing Risk comes before Managing Supplier Relations (section 3.5)');
    expect(note).not.toMatch(/Human Capital/i);
  });

  it('explains a sector round with sector examples, never organisational learning', () => {
    const note = attentionOrderNote(defaultFramework, 'sector');
    expect(note).toMatch(/^Where the paper says/);
    expect(note).toContain('Flow of Human Capital comes before every other sector capability');
    expect(note).toContain('Governing Failure');
    expect(note).toContain('(section 4.6)');
    expect(note).not.toMatch(/organisational learning/i);
  });

  it('says nothing when no capability of the scope builds on another', () => {
    const framework = {
      ...defaultFramework,
      capabilities: defaultFramework.capabilities.map((c) => ({ ...c, prerequisites: [] })),
    };
    expect(attentionOrderNote(framework, 'sector')).toBe('');
  });
});
