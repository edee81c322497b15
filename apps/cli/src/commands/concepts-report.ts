/** The report's "concepts" sections, from the examples `lrpjs concepts` leaves in concepts/<net>/. */
import type { ReportSection } from '@lrpjs/viz';
import fs from 'node:fs';
import path from 'node:path';
import type { ConceptExample } from './concept-examples';

interface ExamplesFile {
  net: string;
  layer: string;
  secondsPerImage: number;
  examples: ConceptExample[];
}

export function conceptSections(dir: string): ReportSection[] {
  const root = path.join(dir, 'concepts');
  if (!fs.existsSync(root)) return [];
  const sections: ReportSection[] = [];
  for (const net of fs.readdirSync(root).sort()) {
    const file = path.join(root, net, 'examples.json');
    if (!fs.existsSync(file)) continue;
    const ex = JSON.parse(fs.readFileSync(file, 'utf8')) as ExamplesFile;
    sections.push({
      title: `Concepts: ${ex.net} at ${ex.layer}`,
      text:
        'Concept Relevance Propagation: the channels of the layer that carry most of the relevance for the ' +
        "explained class, each with its share of the layer's relevance, its conditional heatmap (the relevance " +
        'that flows through that channel alone; the heatmaps of all channels add up to the plain heatmap) and the ' +
        'dataset crops that make the channel most relevant (RelMax). ' +
        `${(1000 * ex.secondsPerImage).toFixed(0)} ms per image.`,
      figures: ex.examples
        .filter((e) => fs.existsSync(path.join(root, net, e.figure)))
        .map((e) => ({
          png: new Uint8Array(fs.readFileSync(path.join(root, net, e.figure))),
          alt: `${e.label}: top concepts at ${ex.layer}`,
          caption: `${e.label}: ${e.concepts.map((c) => `channel ${c.channel} ${(100 * c.share).toFixed(0)}%`).join(', ')}`,
        })),
      table: {
        columns: ['image', 'channel', 'share', 'relevance', 'max activation', 'reference samples'],
        rows: ex.examples.flatMap((e) =>
          e.concepts.map((c) => [
            e.label,
            c.channel,
            Number(c.share.toFixed(3)),
            Number(c.relevance.toPrecision(3)),
            Number(c.activation.toPrecision(3)),
            c.references.map((r) => r.sample).join(' '),
          ]),
        ),
      },
    });
  }
  return sections;
}
