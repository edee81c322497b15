import { XMLValidator } from 'fast-xml-parser';
import {
  base64Encode,
  confusionMatrixSvg,
  createImage,
  decodePng,
  encodePng,
  lineChartSvg,
  pngDataUri,
  renderReportHtml,
  svgDataUri,
  type ReportData,
} from '../src';

const png = (w: number, h: number, rgba: [number, number, number, number]) => encodePng(createImage(w, h, rgba));

function dataUris(html: string, mime: string): Uint8Array[] {
  const re = new RegExp(`data:${mime.replace('+', '\\+')};base64,([A-Za-z0-9+/=]+)`, 'g');
  return [...html.matchAll(re)].map((m) => new Uint8Array(Buffer.from(m[1], 'base64')));
}

function sampleReport(): ReportData {
  return {
    title: 'Faces <& explanations>',
    createdAt: new Date(Date.UTC(2025, 0, 2, 3, 4, 5)),
    imageRowPng: png(40, 10, [1, 2, 3, 255]),
    imageLabels: ['Bush', 'Powell'],
    nets: [
      {
        name: 'net1',
        description: 'small CNN',
        trainAccuracy: 0.98,
        testAccuracy: 0.7812,
        heatmapRowPng: png(40, 10, [200, 0, 0, 255]),
        heatmapLimit: 0.123,
        curveSvg: lineChartSvg([
          {
            name: 'test',
            points: [
              [0, 0.2],
              [1, 0.8],
            ],
          },
        ]),
        confusionSvg: confusionMatrixSvg(
          [
            [1, 0],
            [0, 1],
          ],
          ['a', 'b'],
        ),
      },
      { name: '<script>alert(1)</script>', testAccuracy: null, notes: 'skipped: weights "vgg16" missing & not found' },
    ],
    settings: { iterations: 5000, seed: 0, composite: { name: 'tutorial', gamma: 0.25 }, note: '<b>' },
    environment: { backend: 'tensorflow', node: 'v20' },
    timings: { data: 1.5, train: 125.25, explain: 0.25 },
    sections: [
      { title: 'Per-class', text: 'first\n\nsecond <i>', table: { columns: ['class', 'acc'], rows: [['Bush', 0.9]] } },
    ],
  };
}

describe('renderReportHtml', () => {
  const html = renderReportHtml(sampleReport());

  test('embeds every PNG as a data: URI that decodes to the same image', () => {
    const pngs = dataUris(html, 'image/png');
    // image row, one heatmap row, the colormap legend
    expect(pngs).toHaveLength(3);
    expect(decodePng(pngs[0]).data).toEqual(createImage(40, 10, [1, 2, 3, 255]).data);
    expect(decodePng(pngs[1]).data).toEqual(createImage(40, 10, [200, 0, 0, 255]).data);
    expect(decodePng(pngs[2]).width).toBe(256);
  });

  test('embeds the SVG plots, still well-formed after the trip', () => {
    const svgs = dataUris(html, 'image/svg+xml').map((b) => new TextDecoder().decode(b));
    expect(svgs).toHaveLength(2);
    for (const svg of svgs) expect(XMLValidator.validate(svg)).toBe(true);
  });

  test('escapes all text and runs no scripts', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<title>Faces &lt;&amp; explanations&gt;</title>');
    expect(html).toContain('skipped: weights &quot;vgg16&quot; missing &amp; not found');
    expect(html).toContain('second &lt;i&gt;');
    expect(html).not.toContain('<b>');
  });

  test('shows accuracies, settings, timings and alt text', () => {
    expect(html).toContain('78.1%');
    expect(html).toContain('98.0%');
    expect(html).toContain('—'); // unmeasured accuracy
    expect(html).toContain('name: tutorial, gamma: 0.25');
    expect(html).toContain('2 min 5 s');
    expect(html).toContain('250 ms');
    expect(html).toContain('alt="Test images: Bush, Powell."');
    expect(html).toMatch(/alt="LRP heatmaps of net1[^"]*"/);
    expect(html).toContain('2025-01-02 03:04:05 UTC');
    // Every <img> has an alt attribute.
    const imgs = html.match(/<img [^>]*>/g) ?? [];
    expect(imgs.length).toBe(5);
    for (const tag of imgs) expect(tag).toMatch(/ alt="/);
  });

  test('minimal report and bad input', () => {
    const min = renderReportHtml({ title: 't', createdAt: 'yesterday', nets: [] });
    expect(min).toMatch(/^<!DOCTYPE html>/);
    expect(min).not.toContain('data:image');
    expect(() => renderReportHtml({ createdAt: '', nets: [] } as never)).toThrow(/title is required/);
  });
});

describe('data URIs', () => {
  test('base64Encode equals Node Buffer for lengths 0..300', () => {
    const bytes = new Uint8Array(300).map((_, k) => (k * 37 + 11) & 255);
    for (let n = 0; n <= 300; n++) {
      expect(base64Encode(bytes.subarray(0, n))).toBe(Buffer.from(bytes.subarray(0, n)).toString('base64'));
    }
    const big = new Uint8Array(200_003).map((_, k) => k & 255);
    expect(base64Encode(big)).toBe(Buffer.from(big).toString('base64'));
  });

  test('pngDataUri and svgDataUri (UTF-8)', () => {
    const bytes = png(1, 1, [0, 0, 0, 255]);
    expect(pngDataUri(bytes)).toBe(`data:image/png;base64,${Buffer.from(bytes).toString('base64')}`);
    expect(() => pngDataUri(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(/not a PNG/);
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><text>±R</text></svg>';
    const uri = svgDataUri(svg);
    expect(Buffer.from(uri.split(',')[1], 'base64').toString('utf8')).toBe(svg);
  });
});
