/**
 * What React Flow needs from a browser that jsdom lacks (as React Flow's testing guide lists it):
 * ResizeObserver, DOMMatrixReadOnly and element sizes. Call once in a test file that renders a canvas.
 */
import { vi } from "vitest";

class ResizeObserverStub {
  private readonly callback: ResizeObserverCallback;
  constructor(callback: ResizeObserverCallback) {
    this.callback = callback;
  }
  observe(target: Element) {
    this.callback([{ target } as ResizeObserverEntry], this);
  }
  unobserve() {}
  disconnect() {}
}

class DOMMatrixReadOnlyStub {
  m22: number;
  constructor(transform?: string) {
    const scale = transform?.match(/scale\(([1-9.])\)/)?.[1];
    this.m22 = scale !== undefined ? Number(scale) : 1;
  }
}

export function mockReactFlowBrowser() {
  vi.stubGlobal("ResizeObserver", ResizeObserverStub);
  vi.stubGlobal("DOMMatrixReadOnly", DOMMatrixReadOnlyStub);
  Object.defineProperties(window.HTMLElement.prototype, {
    offsetHeight: { configurable: true, get() { return Number.parseFloat((this as HTMLElement).style.height) || 60; } },
    offsetWidth: { configurable: true, get() { return Number.parseFloat((this as HTMLElement).style.width) || 200; } },
  });
  (window.SVGElement.prototype as unknown as { getBBox: () => DOMRect }).getBBox = () => ({ x: 0, y: 0, width: 0, height: 0 }) as DOMRect;
}
