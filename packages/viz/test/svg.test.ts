import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { barChartSvg, confusionMatrixSvg, lineChartSvg, ticks } from '../src';

const NASTY = 'A<b> & "c" \'d\'';

function wellFormed(svg: string): void {
  const result = XMLValidator.validate(svg);
  if (result !== true) throw new Error(`not well-formed XML: ${JSON.stringify(result)}`);
}

function count(svg: string, tag: string): number {
  return (svg.match(new RegExp(`<${tag}[\\s>/]`, 'g')) ?? []).length;
}

describe('lineChartSvg', () => {
  const series = [
    {
      name: 'train',
      points: [
        [0, 0.1],
        [50, 0.5],
        [100, 0.9],
      ] as [number, number][],
      dashed: true,
    },
    {
      name: NASTY,
      points: [
        [0, 0.05],
        [50, NaN],
        [100, 0.7],
      ] as [number, number][],
    },
  ];

  test('well-formed, titled, sized, escaped', () => {
    const svg = lineChartSvg(series, {
      title: NASTY,
      xLabel: 'iteration',
      yLabel: 'accuracy',
      yDomain: [0, 1],
      yFormat: 'percent',
    });
    wellFormed(svg);
    const doc = new XMLParser({ ignoreAttributes: false, htmlEntities: true }).parse(svg);
    expect(doc.svg['@_xmlns']).toBe('http://www.w3.org/2000/svg');
    expect(doc.svg['@_width']).toBe('640');
    expect(doc.svg['@_viewBox']).toBe('0 0 640 360');
    expect(doc.svg.title).toBe(NASTY);
    expect(svg).not.toContain('A<b>');
    expect(svg).toContain('100%'); // top y tick in percent
    expect(svg).toContain('stroke-dasharray');
  });

  test('one path per series; a NaN breaks the line into two moves', () => {
    const svg = lineChartSvg(series, { markers: false });
    expect(count(svg, 'path')).toBe(2);
    const d = [...svg.matchAll(/<path d="([^"]+)"/g)].map((m) => m[1]);
    expect(d[1].match(/M/g)).toHaveLength(2);
    expect(count(svg, 'circle')).toBe(0);
  });

  test('named x ticks replace the automatic ones, each under its own x', () => {
    const steps = [
      {
        name: 'a',
        points: [
          [0, 1],
          [1, 0.2],
          [2, 0.1],
        ] as [number, number][],
      },
    ];
    const names = ['original', 'conv4', NASTY];
    const svg = lineChartSvg(steps, { xTicks: names.map((label, value) => ({ value, label })) });
    wellFormed(svg);
    const labels = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(expect.arrayContaining(['original', 'conv4', 'A&lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;']));
    expect(labels).not.toContain('0.5'); // no automatic half-step ticks
    // evenly spaced: tick marks at the same pixel spacing
    const xs = [
      ...svg.matchAll(/<line x1="([\d.]+)" y1="[\d.]+" x2="\1" y2="[\d.]+" stroke="[^"]+" stroke-width="1"\/>/g),
    ].map((m) => Number(m[1]));
    expect(xs).toHaveLength(3);
    expect(xs[1] - xs[0]).toBeCloseTo(xs[2] - xs[1], 5);
  });

  test('a long last tick label ends at its tick rather than running off the chart', () => {
    const points = [
      [0, 1],
      [1, 0.5],
      [2, 0.1],
    ] as [number, number][];
    const ticks = ['original', 'conv4', 'conv32_down_conv1_and_more'].map((label, value) => ({ value, label }));
    const svg = lineChartSvg([{ name: 'a', points }], { xTicks: ticks, width: 400, height: 240 });
    const last = /<text([^>]*)>conv32_down_conv1_and_more<\/text>/.exec(svg)![1];
    expect(last).toContain('text-anchor="end"');
    const middle = /<text([^>]*)>conv4<\/text>/.exec(svg)![1];
    expect(middle).toContain('text-anchor="middle"');
  });

  test('empty input still draws axes; bad domains are explained', () => {
    wellFormed(lineChartSvg([]));
    expect(() => lineChartSvg(series, { yDomain: [1, 0] })).toThrow(/yDomain must be \[min, max\]/);
  });
});

describe('confusionMatrixSvg', () => {
  const labels = ['Bush', 'Powell', NASTY];
  const matrix = [
    [8, 1, 1],
    [0, 5, 0],
    [2, 0, 3],
  ];

  test('well-formed with one rect per cell (plus background and frame)', () => {
    const svg = confusionMatrixSvg(matrix, labels, { title: 'net1 <test>' });
    wellFormed(svg);
    expect(count(svg, 'rect')).toBe(9 + 2);
    expect(svg).toContain('net1 &lt;test&gt;');
    expect(svg).toContain('accuracy 80.0%'); // (8 + 5 + 3) / 20
  });

  test('normalize shows row percentages, otherwise counts', () => {
    const pct = confusionMatrixSvg(matrix, labels);
    expect(pct).toMatch(/>80<\/text>/); // 8 of 10
    expect(pct).toMatch(/>60<\/text>/); // 3 of 5
    const counts = confusionMatrixSvg(matrix, labels, { normalize: false });
    expect(counts).toMatch(/>8<\/text>/);
    expect(counts).not.toMatch(/>80<\/text>/);
  });

  test('dark cells get white text, light cells dark text', () => {
    const svg = confusionMatrixSvg(
      [
        [10, 0],
        [0, 10],
      ],
      ['a', 'b'],
    );
    expect(svg).toMatch(/fill="#ffffff">100<\/text>/);
    expect(svg).toMatch(/fill="#111827">0<\/text>/);
  });

  test('shape mismatch is explained', () => {
    expect(() => confusionMatrixSvg([[1, 2]], labels)).toThrow(/must be 3×3/);
    expect(() => confusionMatrixSvg([[-1]], ['a'])).toThrow(/non-negative/);
  });
});

describe('barChartSvg', () => {
  test('grouped bars: one rect per finite value, legend for several series', () => {
    const svg = barChartSvg(
      ['Bush', 'Powell', 'Blair'],
      [
        { name: 'net1', values: [0.9, 0.5, NaN] },
        { name: 'net2 & co', values: [0.95, 0.7, 0.4] },
      ],
      { title: 'Per-class test accuracy', yLabel: 'accuracy' },
    );
    wellFormed(svg);
    expect(count(svg, 'rect')).toBe(1 + 5);
    expect(svg).toContain('net2 &amp; co');
    expect(() => barChartSvg(['a'], [{ name: 'x', values: [1, 2] }])).toThrow(/one value per category/);
  });
});

test('ticks are round numbers covering the range', () => {
  expect(ticks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  // Same steps as d3.ticks: 1000 / 4 = 250 rounds (in log space) to 200.
  expect(ticks(0, 1000, 4)).toEqual([0, 200, 400, 600, 800, 1000]);
  expect(ticks(0, 1000, 2)).toEqual([0, 500, 1000]);
  expect(ticks(-0.3, 0.35, 6)).toEqual([-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3]);
});
