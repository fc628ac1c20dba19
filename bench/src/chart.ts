/** A horizontal bar chart panel: one bar per framework, crest highlighted. */
export interface ChartPanel {
  title: string;
  /** e.g. 'req/s, higher is better' */
  subtitle: string;
  unit: string;
  bars: { label: string; value: number; highlight: boolean }[];
}

const WIDTH = 760;
const LABEL = 250;
const BAR = 18;
const GAP = 6;
const VALUE = 90;

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function format(value: number, unit: string): string {
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${unit}`;
}

/** Renders panels stacked vertically into one self-contained SVG (no fonts or scripts fetched). */
export function renderChart(panels: readonly ChartPanel[]): string {
  const parts: string[] = [];
  let y = 10;
  for (const panel of panels) {
    parts.push(`<text x="10" y="${y + 16}" class="title">${escape(panel.title)}</text>`);
    parts.push(`<text x="10" y="${y + 34}" class="sub">${escape(panel.subtitle)}</text>`);
    y += 46;
    const max = Math.max(...panel.bars.map((bar) => bar.value), 1e-9);
    for (const bar of panel.bars) {
      const width = Math.max(1, ((WIDTH - LABEL - VALUE - 20) * bar.value) / max);
      const fill = bar.highlight ? '#e4572e' : '#8aa1b1';
      const weight = bar.highlight ? ' font-weight="bold"' : '';
      parts.push(
        `<text x="${LABEL - 8}" y="${y + BAR - 5}" text-anchor="end" class="label"${weight}>${escape(bar.label)}</text>`,
        `<rect x="${LABEL}" y="${y}" width="${width.toFixed(1)}" height="${BAR}" fill="${fill}" rx="2"/>`,
        `<text x="${(LABEL + width + 6).toFixed(1)}" y="${y + BAR - 5}" class="value"${weight}>${escape(format(bar.value, panel.unit))}</text>`,
      );
      y += BAR + GAP;
    }
    y += 18;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y}" viewBox="0 0 ${WIDTH} ${y}" role="img">`,
    '<style>text{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;fill:#222}',
    '.title{font-size:16px;font-weight:bold}.sub{font-size:12px;fill:#555}.label,.value{font-size:12px}</style>',
    `<rect width="${WIDTH}" height="${y}" fill="#fff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
