import path from 'node:path';

/**
 * The text of a PDF as pdf.js reads it (Mozilla's parser, the one browsers use): one string per page,
 * the page's text items joined by single spaces with runs of whitespace collapsed, so a test can look
 * for a figure ("critical 3") whatever the layout split it into. pdfjs-dist is ES modules only, hence
 * the dynamic import; its legacy build is the one meant for Node. `standardFontDataUrl` points pdf.js at
 * the metrics of the 14 standard fonts (the report uses Helvetica) that it otherwise warns it lacks.
 */
export async function pdfPagesText(pdf: Uint8Array): Promise<string[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const fonts = path.join(path.dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts') + path.sep;
  const document = await pdfjs.getDocument({ data: new Uint8Array(pdf), standardFontDataUrl: fonts, disableFontFace: true, verbosity: 0 }).promise;
  try {
    const pages: string[] = [];
    for (let n = 1; n <= document.numPages; n++) {
      const content = await (await document.getPage(n)).getTextContent();
      pages.push(
        content.items
          .map((item) => ('str' in item ? item.str : ''))
          .join(' ')
          .replace(/\s+/g, ' ')
          .trim(),
      );
    }
    return pages;
  } finally {
    await document.destroy();
  }
}
