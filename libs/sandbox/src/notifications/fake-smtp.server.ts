import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  /** Epoch milliseconds of acceptance. */
  readonly at: number;
  readonly from: string;
  readonly to: string[];
  /** The message as received (RFC 5322, for a MIME parser). */
  readonly source: string;
  /** The message with quoted-printable soft line breaks removed, for matching ids in tests. */
  readonly raw: string;
  readonly subject: string;
  readonly messageId: string;
  readonly alertIds: string[];
}

/**
 * A local SMTP server (the `smtp-server` package) over a real socket, with a login, that records what
 * it accepts. `failNext` makes the next DATA commands answer a temporary 451. `stallNext` makes the
 * next messages stall after their data: no answer while the client stays connected, so the message
 * is never accepted — what a hung server looks like to the client (`stalled` counts them).
 * `rejectRecipients` answers 550 to RCPT TO of those addresses, and accepts the others.
 */
export class FakeSmtpServer {
  readonly mails: ReceivedMail[] = [];
  failNext = 0;
  stallNext = 0;
  stalled = 0;
  readonly rejectRecipients = new Set<string>();
  private readonly server: SMTPServer;
  private readonly stalledAnswers = new Set<() => void>();

  private constructor(
    readonly user: string,
    readonly password: string,
  ) {
    this.server = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'LOGIN'],
      logger: false,
      onAuth: (auth, _session, callback) => {
        if (auth.username === this.user && auth.password === this.password) return callback(null, { user: auth.username });
        return callback(new Error('Invalid username or password'));
      },
      onRcptTo: (address, _session, callback) => {
        if (this.rejectRecipients.has(address.address.toLowerCase())) {
          return callback(Object.assign(new Error(`No such user here: ${address.address}`), { responseCode: 550 }));
        }
        return callback();
      },
      onData: (stream, session: SMTPServerSession, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (this.stallNext > 0) {
            this.stallNext -= 1;
            this.stalled += 1;
            // Never answered; released (with an error nobody reads) only when the fake stops.
            this.stalledAnswers.add(() => callback(new Error('stalled')));
            return;
          }
          if (this.failNext > 0) {
            this.failNext -= 1;
            const error = Object.assign(new Error('Try again later'), { responseCode: 451 });
            return callback(error);
          }
          const source = Buffer.concat(chunks).toString('utf8');
          // Quoted-printable soft line breaks would split ids.
          const raw = source.replace(/=\r?\n/g, '');
          this.mails.push({
            at: Date.now(),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            source,
            raw,
            subject: /^Subject: (.*)$/m.exec(raw)?.[1] ?? '',
            messageId: /^Message-ID: (.*)$/im.exec(raw)?.[1]?.trim() ?? '',
            alertIds: [...new Set(raw.match(/alrt-[0-9a-f]{24}/g) ?? [])],
          });
          callback();
        });
      },
    });
  }

  static async start(user = 'alerts', password = 's3cret-pass'): Promise<FakeSmtpServer> {
    const fake = new FakeSmtpServer(user, password);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    const { port } = this.server.server.address() as AddressInfo;
    return `smtp://${this.user}:${this.password}@127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    for (const answer of this.stalledAnswers) answer();
    this.stalledAnswers.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
