import { CONV_KERNELS, formatProfile, summarise } from '../src/profile';

describe('summarise', () => {
  it('splits wall time into convolution, other kernels and time outside kernels', () => {
    const p = summarise(100, [
      { name: 'Conv2D', ms: 40, calls: 4 },
      { name: 'Conv2DBackpropFilter', ms: 20, calls: 3 },
      { name: 'MaxPoolGrad', ms: 10, calls: 3 },
      { name: 'Add', ms: 5, calls: 10 },
    ]);
    expect(p.convMs).toBe(60);
    expect(p.otherKernelMs).toBe(15);
    expect(p.outsideMs).toBe(25);
    // (100 − 60) / 100
    expect(p.nonConvShare).toBeCloseTo(0.4, 12);
  });

  it('never reports negative time outside kernels (kernel timers can overlap the wall clock)', () => {
    const p = summarise(10, [{ name: 'Conv2D', ms: 12, calls: 1 }]);
    expect(p.outsideMs).toBe(0);
    expect(p.nonConvShare).toBe(0);
  });

  it('counts matrix products and every convolution gradient as convolution', () => {
    for (const k of ['Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'BatchMatMul', '_FusedMatMul']) {
      expect(CONV_KERNELS.has(k)).toBe(true);
    }
    expect(CONV_KERNELS.has('MaxPool')).toBe(false);
  });

  it('formats a header with the shares and one line per kernel', () => {
    const lines = formatProfile('train', summarise(200, [{ name: 'Conv2D', ms: 150, calls: 2 }]));
    expect(lines[0]).toContain('conv 150.0 ms (75.0%)');
    expect(lines[0]).toContain('not convolution: 25.0%');
    expect(lines[1]).toMatch(/Conv2D +150\.0 ms +75\.0% +2 calls \[conv\]/);
  });
});
