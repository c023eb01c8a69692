import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { simpleParser } from 'mailparser';
import { FakeSmtpServer } from '@churn/testing';
import { classifySmtpError, SmtpMailer, smtpTransportOptions } from './smtp.mailer';

const content = { subject: 'spec', text: 'alert alrt-000000000000000000000001', html: '<p>spec</p>' };

describe('SMTP transport options', () => {
  it('reads host, port, TLS and credentials from the URL and keeps the pool and timeouts', () => {
    const options = smtpTransportOptions({ url: 'smtps://alerts:p%40ss@mail.example.com:465', timeoutMs: 1234 });
    assert.equal(options.host, 'mail.example.com');
    assert.equal(options.port, 465);
    assert.equal(options.secure, true);
    assert.deepEqual(options.auth, { user: 'alerts', pass: 'p@ss' });
    assert.equal(options.pool, true);
    assert.equal(options.connectionTimeout, 1234);
    assert.equal(options.greetingTimeout, 1234);
    assert.equal(options.socketTimeout, 1234);
    assert.equal(options.maxRequeues, 0);
  });

  it('builds a pooled transport that really has them', () => {
    const mailer = new SmtpMailer({ url: 'smtp://u:p@127.0.0.1:2525', from: 'a@example.com', to: 'b@example.com', timeoutMs: 4321 });
    const transporter = (mailer.transport as unknown as { transporter: { name: string; options: Record<string, unknown> } }).transporter;
    assert.equal(transporter.name, 'SMTP (pool)');
    assert.equal(transporter.options['socketTimeout'], 4321);
    assert.equal(transporter.options['greetingTimeout'], 4321);
    mailer.close();
  });
});

describe('SmtpMailer against an SMTP server on loopback', () => {
  let smtp: FakeSmtpServer;
  before(async () => {
    smtp = await FakeSmtpServer.start();
  });
  after(() => smtp.stop());

  it('gives up on a server that stalls after the data within SMTP_TIMEOUT_MS, so a retry sends the mail once', async () => {
    const mailer = new SmtpMailer({ url: smtp.url, from: 'Churn Radar <alerts@example.com>', to: 'ops@example.com', timeoutMs: 300 });
    try {
      smtp.stallNext = 1;
      const started = Date.now();
      const first = await mailer.send(content, 'email:stall-1');
      assert.equal(first.kind, 'retry', JSON.stringify(first));
      assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
      assert.equal(smtp.stalled, 1);
      const second = await mailer.send(content, 'email:stall-1');
      assert.deepEqual(second, { kind: 'ok' });
      assert.equal(smtp.mails.filter((m) => m.messageId.includes('email.stall-1')).length, 1);
    } finally {
      mailer.close();
    }
  });

  it('sends to the recipients a message names instead of the default ones, with its attachments', async () => {
    const mailer = new SmtpMailer({ url: smtp.url, from: 'reports@example.com', to: 'ops@example.com', timeoutMs: 2000 });
    try {
      const pdf = Buffer.from('%PDF-1.7 spec attachment');
      const result = await mailer.send(content, 'report:attach-1', {
        to: 'lead@example.com, cfo@example.com',
        attachments: [{ filename: 'report.pdf', contentType: 'application/pdf', content: pdf }],
      });
      assert.deepEqual(result, { kind: 'ok' });
      const mail = smtp.mails.find((m) => m.messageId.includes('report.attach-1'))!;
      assert.deepEqual(mail.to, ['lead@example.com', 'cfo@example.com']);
      const parsed = await simpleParser(mail.source);
      assert.equal(parsed.attachments.length, 1);
      assert.equal(parsed.attachments[0]!.filename, 'report.pdf');
      assert.equal(parsed.attachments[0]!.contentType, 'application/pdf');
      assert.deepEqual(parsed.attachments[0]!.content, pdf);
    } finally {
      mailer.close();
    }
  });

  it('reports the recipients the server refused while it accepted the others', async () => {
    smtp.rejectRecipients.add('gone@example.com');
    const mailer = new SmtpMailer({ url: smtp.url, from: 'alerts@example.com', to: 'ops@example.com, gone@example.com', timeoutMs: 2000 });
    try {
      assert.deepEqual(await mailer.send(content, 'email:partial-1'), { kind: 'ok', rejectedRecipients: ['gone@example.com'] });
      assert.deepEqual(smtp.mails.find((m) => m.messageId.includes('email.partial-1'))?.to, ['ops@example.com']);
      const none = new SmtpMailer({ url: smtp.url, from: 'alerts@example.com', to: 'gone@example.com', timeoutMs: 2000 });
      const refused = await none.send(content, 'email:partial-2');
      none.close();
      assert.equal(refused.kind, 'dead');
      assert.match((refused as { error: string }).error, /rejected: gone@example\.com/);
    } finally {
      smtp.rejectRecipients.clear();
      mailer.close();
    }
  });
});

describe('SMTP failures', () => {
  it('classifies them', () => {
    assert.equal(classifySmtpError({ code: 'EAUTH', responseCode: 535, message: 'Invalid login' }).kind, 'dead');
    assert.equal(classifySmtpError({ code: 'EENVELOPE', responseCode: 550, message: 'no such user' }).kind, 'dead');
    assert.equal(classifySmtpError({ code: 'EMESSAGE', responseCode: 552, message: 'too big' }).kind, 'rejected');
    assert.equal(classifySmtpError({ code: 'EMESSAGE', responseCode: 451, message: 'later' }).kind, 'retry');
    assert.equal(classifySmtpError({ code: 'ECONNECTION', message: 'refused' }).kind, 'retry');
    assert.equal(classifySmtpError({ code: 'ETIMEDOUT', message: 'Timeout' }).kind, 'retry');
  });
});
