import { describe, expect, it } from 'vitest';
import { escapeXml } from './escape.js';
import { latentScatter } from './latent-scatter.js';
import { renderSvg } from './render-svg.js';
import { parseElements } from './test-support/dom.js';

const evil = '<script>alert(1)</script>';

describe('escaping user data', () => {
  it('escapes markup characters and drops XML-illegal controls', () => {
    expect(escapeXml(`${evil}&"'`)).toBe('&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;');
    expect(escapeXml('a\u0000b\tc')).toBe('ab\tc');
  });

  it('a class name and title made of markup show as text in the SVG and create no element', () => {
    const svg = renderSvg(
      latentScatter({
        codes: [
          [0, 0],
          [1, 1],
        ],
        labels: [0, 1],
        classNames: [evil, '"><img src=x onerror=alert(2)>'],
        title: `${evil} title`,
        xLabel: '<b>x</b>',
      }),
    );
    const elements = parseElements(svg);
    expect(elements.filter((e) => e.tag === 'script' || e.tag === 'img' || e.tag === 'b')).toEqual([]);
    const texts = elements.filter((e) => e.tag === 'text').map((e) => e.text);
    expect(texts).toContain(evil);
    expect(texts).toContain(`${evil} title`);
    expect(texts).toContain('"><img src=x onerror=alert(2)>');
    expect(elements.find((e) => e.tag === 'title')?.text).toBe(`${evil} title`);
    expect(elements.some((e) => Object.keys(e.attrs).some((k) => k.startsWith('on')))).toBe(false);
  });
});
