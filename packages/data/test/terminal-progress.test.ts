import { createProgressBar } from '../../../scripts/terminal-progress';

// The scripts' progress display, fed by the library's onProgress events.
describe('createProgressBar', () => {
  const sink = (isTTY: boolean): { stream: NodeJS.WritableStream & { isTTY: boolean }; text: () => string } => {
    let out = '';
    const stream = { isTTY, write: (s: string) => ((out += s), true) } as unknown as NodeJS.WritableStream & {
      isTTY: boolean;
    };
    return { stream, text: () => out };
  };

  it('prints plain lines at 10% steps when not a terminal', () => {
    const { stream, text } = sink(false);
    const bar = createProgressBar({ stream });
    for (let done = 0; done <= 100; done += 5) bar({ stage: 'decode', done, total: 100 });
    const lines = text().trim().split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe('decode: 0% (0/100)');
    expect(lines[10]).toBe('decode: 100% (100/100)');
  });

  it('redraws one line with a bar on a terminal', () => {
    const { stream, text } = sink(true);
    const bar = createProgressBar({ stream, width: 10 });
    bar({ stage: 'download', done: 5 * 1048576, total: 10 * 1048576, detail: 'lfw-funneled.tgz' });
    bar({ stage: 'download', done: 10 * 1048576, total: 10 * 1048576, detail: 'lfw-funneled.tgz' });
    expect(text()).toContain('\rdownload lfw-funneled.tgz [#####.....]  50% 5.0 MB/10.0 MB');
    expect(text()).toMatch(/\[##########\] 100% 10\.0 MB\/10\.0 MB\x1b\[K\n$/);
  });
});
