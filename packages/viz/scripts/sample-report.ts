/**
 * Render a sample report page from synthetic data, to look at the design without running the models:
 *   pnpm --filter @lrpjs/viz sample [outDir]        (default /tmp/viz-sample)
 * Development aid only (it writes files, so it uses Node's fs); not part of the published package.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  barChartSvg,
  composeGrid,
  confusionMatrixSvg,
  encodePng,
  heatmapRow,
  imageRow,
  imageToRgba,
  lineChartSvg,
  overlay,
  relevanceBatchToRgba,
  renderReportHtml,
  scaleNearest,
  type ReportNet,
} from '../src';

const outDir = process.argv[2] ?? '/tmp/viz-sample';
mkdirSync(outDir, { recursive: true });

const CLASSES = [
  'Alejandro Toledo',
  'Ariel Sharon',
  'Colin Powell',
  'Donald Rumsfeld',
  'George W Bush',
  'Gerhard Schroeder',
  'Gloria Macapagal Arroyo',
  'Hugo Chavez',
  'Jacques Chirac',
  'Jean Chretien',
  'Jennifer Capriati',
  'John Ashcroft',
  'Junichiro Koizumi',
  'Laura Bush',
  'Lleyton Hewitt',
  'Luiz Inacio Lula da Silva',
  'Serena Williams',
  'Tony Blair',
  'Vladimir Putin',
];
const N = 8;
const S = 64;

// Deterministic pseudo-random numbers, so the page looks the same on every run.
let seed = 42;
const rand = (): number => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;

// Synthetic "faces": a skin-coloured ellipse with eyes and a mouth on a blurred background.
const images = new Float32Array(N * S * S * 3);
const targets = Array.from({ length: N }, () => Math.floor(rand() * CLASSES.length));
for (let n = 0; n < N; n++) {
  const skin = [0.75 + 0.2 * rand(), 0.55 + 0.15 * rand(), 0.45 + 0.15 * rand()];
  const bg = [0.2 + 0.5 * rand(), 0.3 + 0.4 * rand(), 0.4 + 0.5 * rand()];
  const cx = 32 + (rand() - 0.5) * 6;
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const face = ((x - cx) / 19) ** 2 + ((y - 34) / 25) ** 2 < 1;
      const hair = face && y < 16 + 4 * Math.sin(x / 5 + n);
      const eye = (Math.hypot(x - (cx - 8), y - 28) < 2.6 || Math.hypot(x - (cx + 8), y - 28) < 2.6) && face;
      const mouth = face && Math.abs(y - 46 - ((x - cx) / 10) ** 2) < 1.2 && Math.abs(x - cx) < 8;
      const shade = 1 - 0.25 * (y / S);
      for (let c = 0; c < 3; c++) {
        let v = face ? skin[c] * shade : bg[c] * (0.8 + 0.2 * Math.sin((x + y + n * 7) / 9));
        if (hair) v = 0.15 + 0.1 * c * rand();
        if (eye) v = 0.1;
        if (mouth) v = c === 0 ? 0.55 : 0.2;
        images[((n * S + y) * S + x) * 3 + c] = Math.min(1, Math.max(0, v + (rand() - 0.5) * 0.04));
      }
    }
  }
}

// Synthetic relevance: positive blobs on eyes and mouth, negative ones on the background, scaled per net.
function fakeRelevance(strength: number, spread: number): Float32Array {
  const R = new Float32Array(N * S * S * 3);
  for (let n = 0; n < N; n++) {
    const blobs = [
      [24, 28, 1],
      [40, 28, 1],
      [32, 46, 0.7],
      [32, 38, 0.4],
      [8 + 8 * rand(), 10 + 40 * rand(), -0.6],
      [56 - 8 * rand(), 10 + 40 * rand(), -0.5],
    ];
    for (let y = 0; y < S; y++) {
      for (let x = 0; x < S; x++) {
        let v = 0;
        for (const [bx, by, w] of blobs) v += w * Math.exp(-((x - bx) ** 2 + (y - by) ** 2) / (2 * spread ** 2));
        v += (rand() - 0.5) * 0.25;
        for (let c = 0; c < 3; c++) R[((n * S + y) * S + x) * 3 + c] = (strength * v * (0.8 + 0.4 * rand())) / 3;
      }
    }
  }
  return R;
}

const lastName = (name: string): string => name.split(' ').slice(-1)[0];
const labels = targets.map((t) => lastName(CLASSES[t]));
const imageRowImage = imageRow(images, [N, S, S, 3], { labels });
writeFileSync(join(outDir, 'images.png'), encodePng(imageRowImage));

function curve(final: number, rate: number, noise: number): [number, number][] {
  return Array.from({ length: 21 }, (_, k) => {
    const it = k * 250;
    return [it, Math.min(1, final * (1 - Math.exp(-it / rate)) + 1 / 19 + (rand() - 0.5) * noise)] as [number, number];
  });
}

function confusion(acc: number): number[][] {
  const counts = [265, 60, 118, 61, 36, 77, 21, 55, 16, 27, 21, 26, 30, 20, 28, 24, 26, 71, 24];
  return counts.map((total, i) => {
    const row = new Array<number>(CLASSES.length).fill(0);
    row[i] = Math.round(total * Math.min(1, acc + (rand() - 0.5) * 0.2));
    for (let left = total - row[i]; left > 0; left--) row[Math.floor(rand() * CLASSES.length)]++;
    return row;
  });
}

const netSpecs = [
  {
    name: 'net1',
    description: '4 conv layers, trained from scratch',
    train: 0.993,
    test: 0.781,
    strength: 1,
    spread: 3,
  },
  { name: 'net2', description: 'wider, with dropout', train: 0.968, test: 0.829, strength: 0.4, spread: 4 },
  { name: 'net3', description: 'VGG-16 features + new head', train: null, test: null, strength: 0, spread: 0 },
  {
    name: 'net4',
    description: 'embedded face backbone + logistic head',
    train: 1,
    test: 0.956,
    strength: 2,
    spread: 6,
  },
];

const nets: ReportNet[] = [];
const perClass: { name: string; values: number[] }[] = [];
for (const spec of netSpecs) {
  if (spec.train === null) {
    nets.push({
      name: spec.name,
      description: spec.description,
      trainAccuracy: null,
      testAccuracy: null,
      notes: 'Skipped: VGG-16 weights not found in ~/.lrpjs/weights/vgg16. Run `lrpjs data --vgg16` to fetch them.',
    });
    continue;
  }
  const R = fakeRelevance(spec.strength, spec.spread);
  // No labels under heatmaps: the image row above names the people, as in the tutorial's figure.
  const { image, limits } = heatmapRow(R, [N, S, S, 3]);
  writeFileSync(join(outDir, `heatmaps-${spec.name}.png`), encodePng(image));
  const matrix = confusion(spec.test);
  perClass.push({ name: spec.name, values: matrix.map((row, i) => row[i] / row.reduce((a, b) => a + b, 0)) });
  const curveSvg = lineChartSvg(
    [
      { name: 'train', points: curve(spec.train, 900, 0.02), dashed: true },
      { name: 'test', points: curve(spec.test, 1100, 0.04) },
    ],
    {
      title: `${spec.name}: accuracy during training`,
      xLabel: 'iteration',
      yLabel: 'accuracy',
      yDomain: [0, 1],
      yFormat: 'percent',
      width: 480,
      height: 320,
    },
  );
  const confusionSvg = confusionMatrixSvg(matrix, CLASSES.map(lastName), {
    title: `${spec.name}: test confusion matrix`,
  });
  writeFileSync(join(outDir, `curves-${spec.name}.svg`), curveSvg);
  writeFileSync(join(outDir, `confusion-${spec.name}.svg`), confusionSvg);
  nets.push({
    name: spec.name,
    description: spec.description,
    trainAccuracy: spec.train,
    testAccuracy: spec.test,
    heatmapRowPng: encodePng(image),
    heatmapLimit: limits[0].vmax,
    curveSvg,
    confusionSvg,
  });
}

// Overlay of net4's heatmaps on the images, as an extra figure.
const R4 = fakeRelevance(2, 6);
const heat = relevanceBatchToRgba(R4, [N, S, S, 3], { alphaByMagnitude: true }).images;
const overlays = heat.map((h, n) =>
  scaleNearest(overlay(imageToRgba(images.subarray(n * S * S * 3, (n + 1) * S * S * 3), [S, S, 3]), h), 2),
);
const overlayGrid = composeGrid(overlays, { labels });

const html = renderReportHtml({
  title: 'Deep neural networks and explanations: LFW faces',
  subtitle: 'Sample page rendered from synthetic data by packages/viz/scripts/sample-report.ts.',
  createdAt: new Date(),
  imageRowPng: encodePng(imageRowImage),
  imageLabels: labels,
  nets,
  settings: {
    'data home': '../shared/data',
    variant: 'deepfunneled',
    'test images': '0..7',
    iterations: 5000,
    'batch size': 25,
    seed: 0,
    composite: { name: 'tutorial', gamma: 0.25, epsilon: 0.25 },
    target: 'true class',
  },
  environment: { backend: 'tensorflow', '@tensorflow/tfjs': '4.22.0', node: 'v20.20.2', cpu: '2 cores' },
  timings: {
    'load data': 3.2,
    'train net1': 184.6,
    'train net2': 242.1,
    'build net4': 12.4,
    evaluate: 8.8,
    explain: 2.6,
  },
  sections: [
    {
      title: 'Per-class test accuracy',
      text: "Fraction of each person's test images classified correctly. Classes with few images (e.g. Capriati, Laura Bush) vary most.",
      figures: [
        {
          svg: barChartSvg(CLASSES.map(lastName), perClass, { title: 'Per-class test accuracy', yLabel: 'accuracy' }),
          alt: 'Grouped bar chart of per-class test accuracy for each net.',
        },
      ],
    },
    {
      title: 'net4 heatmaps over the images',
      text: 'The same relevance as above, with opacity proportional to |relevance|, laid over the gray input.',
      figures: [{ png: encodePng(overlayGrid), alt: 'Heatmaps of net4 overlaid on the test images.' }],
    },
  ],
  footer: 'Synthetic data: numbers on this page are made up.',
});
writeFileSync(join(outDir, 'report.html'), html);
console.log(`wrote ${join(outDir, 'report.html')} (${(html.length / 1024).toFixed(0)} KiB)`);
