/**
 * Every string in a report or a chart can come from a model or run folder someone else wrote (class names,
 * net names, notes, settings): it must stay text. A hostile name must never appear as markup.
 */
import { XMLValidator } from 'fast-xml-parser';
import { confusionMatrixSvg, lineChartSvg, renderReportHtml } from '../src';

const HOSTILE = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(2)>',
  '"><svg onload=alert(3)>',
  "' onmouseover='alert(4)",
  '</title><script>alert(5)</script>',
];

/** No raw tag or attribute from the hostile strings, i.e. nothing a browser would parse as markup. */
function expectInert(markup: string): void {
  for (const h of HOSTILE) expect(markup).not.toContain(h);
  // Escaped text has no '<', so every tag left is one the renderer wrote: none may carry a script or handler.
  const tags = markup.match(/<[a-z][^>]*>/gi) ?? [];
  expect(tags.filter((t) => /^<script|^<img src=x|\son[a-z]+\s*=/i.test(t))).toEqual([]);
}

describe('hostile strings stay text', () => {
  it('in the HTML report: class names, net names, notes, descriptions, settings, sections', () => {
    const html = renderReportHtml({
      title: HOSTILE[4],
      subtitle: HOSTILE[0],
      createdAt: HOSTILE[1],
      imageLabels: HOSTILE,
      nets: HOSTILE.map((h, i) => ({
        name: h,
        description: HOSTILE[(i + 1) % HOSTILE.length],
        notes: HOSTILE[(i + 2) % HOSTILE.length],
        trainAccuracy: 0.5,
        testAccuracy: 0.25,
      })),
      settings: { [HOSTILE[0]]: HOSTILE[1], composite: { name: HOSTILE[2] } as never },
      environment: { backend: HOSTILE[3] },
      timings: { [HOSTILE[2]]: 1 },
      sections: [
        {
          title: HOSTILE[3],
          text: HOSTILE[0],
          table: { columns: ['Person', HOSTILE[1]], rows: HOSTILE.map((h) => [h, 0.5]) },
        },
      ],
      footer: HOSTILE[2],
    });
    expectInert(html);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.match(/<script/gi)).toBeNull();
  });

  it('in the confusion matrix and line chart SVGs (the web app inlines them)', () => {
    const confusion = confusionMatrixSvg(
      HOSTILE.map((_, i) => HOSTILE.map((__, j) => (i === j ? 3 : 1))),
      HOSTILE,
      { title: HOSTILE[0] },
    );
    const chart = lineChartSvg(
      HOSTILE.map((h, i) => ({ name: h, points: [[0, i / 10] as const, [1, i / 5] as const] })),
      { xLabel: HOSTILE[1], yLabel: HOSTILE[2] },
    );
    for (const svg of [confusion, chart]) {
      expectInert(svg);
      expect(XMLValidator.validate(svg)).toBe(true);
    }
  });
});
