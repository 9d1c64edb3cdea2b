// A real SMTP server (the `smtp-server` package) on loopback for tests of email: it accepts every
// message and keeps it, parsed with `mailparser`, so a test reads what a person would receive. It
// can be stopped and started again on the same port, to test a mail server that is down.
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  readonly to: string;
  readonly from: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string | false;
  readonly attachments: number;
}

export class TestSmtpServer {
  readonly messages: ReceivedMail[] = [];
  /** Addresses the server refuses (as a real server refuses an unknown mailbox). */
  readonly refuse = new Set<string>();
  private server: SMTPServer | undefined;
  port = 0;

  private create(): SMTPServer {
    return new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      // Stopping closes open connections at once (a pooled client keeps one open).
      closeTimeout: 50,
      onRcptTo: (address, _session, callback) => {
        if (this.refuse.has(address.address.toLowerCase()))
          callback(Object.assign(new Error('5.1.1 No such mailbox here'), { responseCode: 550 }));
        else callback();
      },
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            this.messages.push({
              to: session.envelope.rcptTo.map((r) => r.address).join(', '),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: parsed.html ?? false,
              attachments: parsed.attachments.length,
            });
            callback();
          })
          .catch((error: unknown) => callback(error as Error));
      },
    });
  }

  /** Starts listening on 127.0.0.1 (a free port the first time, the same port afterwards). */
  async start(): Promise<void> {
    const server = this.create();
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Messages to one address, oldest first. */
  to(address: string): ReceivedMail[] {
    return this.messages.filter((m) => m.to === address);
  }
}

/** The first link in a message whose path starts with `path` (e.g. /respond/). */
export function linkIn(text: string, path: string): string {
  const match = new RegExp(`https?://[^\\s/]+(${path}[A-Za-z0-9_-]+)`).exec(text);
  if (!match?.[1]) throw new Error(`No ${path} link in the message:\n${text}`);
  return match[1];
}
