/**
 * A small XYZ tile base layer (e.g. the county PGIS, `http://pgis.local/tiles/{z}/{x}/{y}.png`) drawn
 * on a canvas behind the ECharts geo view and re-drawn whenever the view moves. The geo view is
 * linear in longitude/latitude (with aspectScale ≈ cos φ), so tiles are placed by their corner
 * coordinates; over a county the difference to Web Mercator is below a pixel per tile.
 */

/** Maps lng/lat to canvas pixels and back (linear, as the geo view). */
export interface ViewTransform {
  ax: number;
  bx: number;
  ay: number;
  by: number;
}

const MAX_TILES = 80;
const MAX_CACHE = 400;

const lon2tile = (lng: number, z: number) => ((lng + 180) / 360) * 2 ** z;
const lat2tile = (lat: number, z: number) => {
  const r = (lat * Math.PI) / 180;
  return ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z;
};
const tile2lon = (x: number, z: number) => (x / 2 ** z) * 360 - 180;
const tile2lat = (y: number, z: number) => {
  const n = Math.PI - (2 * Math.PI * y) / 2 ** z;
  return (180 / Math.PI) * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n)));
};

export class TileLayer {
  private readonly cache = new Map<string, HTMLImageElement | 'failed'>();
  private frame = 0;
  private view: ViewTransform | null = null;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly template: string,
  ) {}

  /** Draws (next frame) for the given view. */
  update(view: ViewTransform | null): void {
    this.view = view;
    if (!this.frame) this.frame = requestAnimationFrame(() => this.draw());
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.cache.clear();
  }

  private draw(): void {
    this.frame = 0;
    const { canvas, view } = this;
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    if (!view || !(view.ax > 0) || !(view.ay < 0)) return;
    const z = Math.max(1, Math.min(19, Math.round(Math.log2((view.ax * 360) / 256))));
    const lngL = -view.bx / view.ax;
    const lngR = (w - view.bx) / view.ax;
    const latT = Math.min(85, -view.by / view.ay);
    const latB = Math.max(-85, (h - view.by) / view.ay);
    const x0 = Math.floor(lon2tile(lngL, z));
    const x1 = Math.floor(lon2tile(lngR, z));
    const y0 = Math.floor(lat2tile(latT, z));
    const y1 = Math.floor(lat2tile(latB, z));
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > MAX_TILES) return;
    const px = (lng: number) => view.ax * lng + view.bx;
    const py = (lat: number) => view.ay * lat + view.by;
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        const img = this.tile(z, x, y);
        if (!img) continue;
        const left = px(tile2lon(x, z));
        const top = py(tile2lat(y, z));
        ctx.drawImage(img, left, top, px(tile2lon(x + 1, z)) - left, py(tile2lat(y + 1, z)) - top);
      }
    }
  }

  /** The loaded tile, or undefined while loading (a redraw follows its load). */
  private tile(z: number, x: number, y: number): HTMLImageElement | undefined {
    const n = 2 ** z;
    if (y < 0 || y >= n) return undefined;
    const wx = ((x % n) + n) % n;
    const url = this.template.replace('{z}', String(z)).replace('{x}', String(wx)).replace('{y}', String(y));
    const hit = this.cache.get(url);
    if (hit === 'failed') return undefined;
    if (hit) return hit.complete && hit.naturalWidth > 0 ? hit : undefined;
    if (this.cache.size >= MAX_CACHE) this.cache.delete(this.cache.keys().next().value as string);
    const img = new Image();
    img.decoding = 'async';
    img.onload = () => this.update(this.view);
    img.onerror = () => this.cache.set(url, 'failed');
    img.src = url;
    this.cache.set(url, img);
    return undefined;
  }
}
