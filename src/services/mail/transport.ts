// Sending email through the SMTP server the environment names (nodemailer). Without one, there is
// no mailer and the product says links must be copied by hand.
import nodemailer from 'nodemailer';
import type { MailConfig } from '../../config.ts';
import type { MailMessage } from './messages.ts';

export interface Mailer {
  /** Checks that the server answers and accepts us, before anything is created or sent. */
  verify(): Promise<void>;
  send(to: string, message: MailMessage): Promise<void>;
  close(): void;
}

/** A failure to send, in plain words for the person who asked (the server's own words kept). */
export class MailError extends Error {
  override readonly name = 'MailError';
}

export function createMailer(config: MailConfig): Mailer {
  const timeouts = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };
  const auth =
    config.user !== undefined && config.password !== undefined
      ? { user: config.user, pass: config.password }
      : undefined;
  // A pool keeps a few connections open, so a batch of invitations does not connect once each.
  const transport = nodemailer.createTransport({
    ...(config.url !== undefined
      ? { url: config.url }
      : { host: config.host, port: config.port, secure: config.secure }),
    ...(auth ? { auth } : {}),
    pool: true,
    maxConnections: 2,
    ...timeouts,
  });
  const where = config.url !== undefined ? safeHost(config.url) : `${config.host}:${config.port}`;
  return {
    async verify() {
      try {
        await transport.verify();
      } catch (error) {
        throw new MailError(describeSmtpError(error, where));
      }
    },
    async send(to, message) {
      try {
        await transport.sendMail({
          from: config.from,
          to,
          subject: message.subject,
          text: message.text,
          textEncoding: 'quoted-printable',
        });
      } catch (error) {
        throw new MailError(describeSmtpError(error, where));
      }
    },
    close() {
      transport.close();
    },
  };
}

/** The host and port of an SMTP URL, never its user name or password. */
function safeHost(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol === 'smtps:' ? '465' : '587')}`;
  } catch {
    return 'the configured address';
  }
}

/** Turns a nodemailer error into a sentence an administrator can act on. */
export function describeSmtpError(error: unknown, where: string): string {
  const e = (error ?? {}) as { code?: string; response?: string; message?: string };
  const said = e.response ? ` The server said: “${e.response.trim()}”.` : '';
  // A connection failure comes as ECONNECTION, with the system's own code in its message.
  const system = /\b(ECONNREFUSED|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|ECONNRESET)\b/.exec(
    e.message ?? '',
  )?.[1];
  const code = system === 'ENOTFOUND' || system === 'EAI_AGAIN' ? 'EDNS' : (system ?? e.code);
  switch (code) {
    case 'ECONNREFUSED':
      return `The email server at ${where} refused the connection: it may be down, or the address or port may be wrong.`;
    case 'ETIMEDOUT':
    case 'ECONNECTION':
    case 'ESOCKET':
      return `The email server at ${where} could not be reached or stopped answering (${e.message ?? e.code}). Check that it is running and that this service may connect to it.`;
    case 'EDNS':
      return `The email server’s name in ${where} could not be found. Check the SMTP settings.`;
    case 'ETLS':
      return `A secure connection to the email server at ${where} could not be made. Check SMTP_SECURE and the server’s certificate.`;
    case 'EAUTH':
    case 'ENOAUTH':
      return `The email server at ${where} did not accept the user name and password.${said}`;
    case 'EENVELOPE':
      return `The email server at ${where} did not accept the address.${said}`;
    case 'EMESSAGE':
      return `The email server at ${where} refused the message.${said}`;
    default:
      return `The email server at ${where} reported a problem: ${e.message ?? String(error)}.${said && !e.message?.includes(e.response ?? '') ? said : ''}`;
  }
}
