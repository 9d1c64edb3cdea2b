import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';

describe('SMTP settings from the environment', () => {
  it('leaves email off when no SMTP server is named', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).mail).toBeUndefined();
  });

  it('reads SMTP_URL with MAIL_FROM and the reminder days', () => {
    const mail = loadConfig({
      NODE_ENV: 'test',
      SMTP_URL: 'smtp://127.0.0.1:2525',
      MAIL_FROM: 'Throughline <assessments@council.example>',
      MAIL_REMINDER_DAYS: '1, 7,3',
    }).mail;
    expect(mail).toMatchObject({
      url: 'smtp://127.0.0.1:2525',
      secure: false,
      from: 'Throughline <assessments@council.example>',
      reminderDays: [7, 3, 1],
    });
  });

  it('reads host settings, secure by port 465 unless told', () => {
    const mail = loadConfig({
      NODE_ENV: 'test',
      SMTP_HOST: 'smtp.council.example',
      SMTP_PORT: '465',
      SMTP_USER: 'u',
      SMTP_PASSWORD: 'p',
      MAIL_FROM: 'a@council.example',
    }).mail;
    expect(mail).toMatchObject({ host: 'smtp.council.example', port: 465, secure: true });
    expect(mail?.reminderDays).toEqual([3, 1]);
  });

  it('refuses incomplete or contradictory settings with a message that says what to do', () => {
    expect(() => loadConfig({ SMTP_HOST: 'smtp.x' })).toThrow(/MAIL_FROM is required/);
    expect(() =>
      loadConfig({ SMTP_HOST: 'smtp.x', SMTP_URL: 'smtp://y', MAIL_FROM: 'a@b.c' }),
    ).toThrow(/either SMTP_URL or SMTP_HOST/);
    expect(() => loadConfig({ SMTP_HOST: 'smtp.x', SMTP_USER: 'u', MAIL_FROM: 'a@b.c' })).toThrow(
      /both SMTP_USER and SMTP_PASSWORD/,
    );
    expect(() => loadConfig({ SMTP_URL: 'http://x', MAIL_FROM: 'a@b.c' })).toThrow(/SMTP_URL/);
    expect(() =>
      loadConfig({ SMTP_URL: 'smtp://x', MAIL_FROM: 'a@b.c', MAIL_REMINDER_DAYS: 'soon' }),
    ).toThrow(/MAIL_REMINDER_DAYS/);
  });
});
