import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { pdfPagesText } from '@churn/testing';
import type { Report } from './report';
import { reportPdf } from './report-pdf';
import { sampleReport } from './report-spec-fixture';

describe('report PDF (read back with pdf.js)', () => {
  let pdf: Buffer;
  let text: string;
  before(async () => {
    pdf = await reportPdf(sampleReport());
    text = (await pdfPagesText(pdf)).join(' ');
  });

  it('is a PDF with the title and the period', () => {
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.match(text, /Churn Radar retention report/);
    assert.match(text, /Period 2026-03-01T00:00:00\.000Z to 2026-03-08T00:00:00\.000Z \(7 days\)/);
  });

  it('labels the chart bars with this period and the previous one', () => {
    assert.match(text, /critical 1 this period 0 previous/);
    assert.match(text, /medium 3 this period 2 previous/);
  });

  it('prints the risk distribution with shares and changes', () => {
    assert.match(text, /critical 1 10\.0% 0 0\.0% \+1 \+10\.0 pts \$1,200/);
    assert.match(text, /medium 3 30\.0% 2 25\.0% \+1 \+5\.0 pts \$3,600/);
    assert.match(text, /all 10 100\.0% 8 100\.0% \+2 - \$12,000/);
  });

  it('prints the top customers, their action and drivers', () => {
    assert.match(text, /Top 2 at-risk customers/);
    assert.match(text, /C-0001 91 critical 0\.912 \$1,200/);
    assert.match(text, /call within 24 h and offer a 12-month contract/);
    assert.match(text, /tenure_months = 2 \(\+0\.150\)/);
  });

  it('prints SLA, interventions, ROI, quality and experiments', () => {
    assert.match(text, /critical 24\.0 h 1 1 30\.0 h 30\.0 h 1 0 0 0/);
    assert.match(text, /retention call 2 2 \$180/);
    assert.match(text, /programme cost \$230/);
    assert.match(text, /net benefit \$730/);
    assert.match(text, /ROI multiple 3\.1739/);
    assert.match(text, /v1 champion 4 2 0\.7500/);
    assert.match(text, /spring-offers treatment control \+25\.0 pts/);
  });

  it('says so when a table is empty', async () => {
    const empty: Report = { ...sampleReport(), experiments: [] };
    const pages = await pdfPagesText(await reportPdf(empty));
    assert.match(pages.join(' '), /Experiments: arms .* None in this period\./);
  });
});
