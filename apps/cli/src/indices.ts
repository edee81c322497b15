/** Parses `0-7`, `0,3,5` or `0-3,10` into indices (in the order given, duplicates dropped). */
export function parseIndexList(text: string): number[] {
  const result: number[] = [];
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`'${part}' is not an index or a range like 0-7`);
    const a = Number(m[1]);
    const b = m[2] !== undefined ? Number(m[2]) : a;
    if (b < a) throw new Error(`range ${part} runs backwards`);
    if (b - a > 100_000) throw new Error(`range ${part} is too long`);
    for (let i = a; i <= b; i++) if (!result.includes(i)) result.push(i);
  }
  if (result.length === 0) throw new Error(`'${text}' holds no index`);
  return result;
}
