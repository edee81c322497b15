import { COLORMAP_NAMES, type ColormapName } from '@lrpjs/viz';
import { isCompositeName, resolveCompositeParams, type CompositeParamName } from '@lrpjs/lrp/catalog';
import { isBaselineName } from '@lrpjs/attribution/catalog';
import { BACKEND_NAMES, type BackendName, type CompositeSpec } from '../engine/protocol';
import { DEFAULT_SETTINGS, type Settings, type TargetMode } from './settings';

/** What a share link restores: the settings, the gallery image and the backend (photos stay on the device). */
export interface SharedView {
  settings: Settings;
  gallery?: number;
  backend?: BackendName;
}

const TARGETS: TargetMode[] = ['predicted', 'true', 'class', 'contrast'];
const PARAMS: CompositeParamName[] = ['gamma', 'epsilon', 'low', 'high'];

/** `tutorial:gamma=0.5,epsilon=1e-9` ↔ a composite spec; anything invalid is dropped (the default applies). */
function parseComposite(text: string): CompositeSpec | undefined {
  const [name, rest = ''] = text.split(':');
  if (!isCompositeName(name)) return undefined;
  const given: Record<string, number> = {};
  for (const kv of rest.split(',').filter(Boolean)) {
    const [k, v] = kv.split('=');
    if ((PARAMS as string[]).includes(k)) given[k] = Number(v);
  }
  try {
    return { name, params: resolveCompositeParams(name, given) };
  } catch {
    return undefined;
  }
}

function formatComposite(spec: CompositeSpec): string {
  const params = Object.entries(spec.params).map(([k, v]) => `${k}=${v}`);
  return params.length ? `${spec.name}:${params.join(',')}` : spec.name;
}

/** Query parameters of a view; `run` (a served run's URL) is kept by the caller. */
export function encodeView(view: SharedView): URLSearchParams {
  const q = new URLSearchParams();
  const s = view.settings;
  if (view.gallery !== undefined) q.set('image', String(view.gallery));
  if (view.backend) q.set('backend', view.backend);
  if (s.targetMode !== 'predicted') q.set('target', s.targetMode);
  if (s.targetMode === 'class' || s.targetMode === 'contrast') q.set('class', String(s.classIndex));
  for (const [net, spec] of Object.entries(s.composites)) q.set(`rules.${net}`, formatComposite(spec));
  if (s.hidden.length) q.set('hide', s.hidden.join(','));
  if (s.colormap !== DEFAULT_SETTINGS.colormap) q.set('colormap', s.colormap);
  if (s.limits !== DEFAULT_SETTINGS.limits) q.set('limits', s.limits);
  if (s.view !== DEFAULT_SETTINGS.view) q.set('view', s.view);
  if (s.view === 'overlay') q.set('opacity', String(s.opacity));
  if (s.method !== DEFAULT_SETTINGS.method) q.set('method', s.method);
  if (s.flipping) q.set('flip', '1');
  return q;
}

export function decodeView(q: URLSearchParams): SharedView {
  const s: Settings = { ...DEFAULT_SETTINGS, composites: {}, hidden: [] };
  const target = q.get('target') as TargetMode | null;
  if (target && TARGETS.includes(target)) s.targetMode = target;
  const cls = Number(q.get('class'));
  if (Number.isInteger(cls) && cls >= 0) s.classIndex = cls;
  for (const [key, value] of q) {
    if (!key.startsWith('rules.')) continue;
    const spec = parseComposite(value);
    if (spec) s.composites[key.slice('rules.'.length)] = spec;
  }
  s.hidden = (q.get('hide') ?? '').split(',').filter(Boolean);
  const cmap = q.get('colormap');
  if (cmap && (COLORMAP_NAMES as readonly string[]).includes(cmap)) s.colormap = cmap as ColormapName;
  if (q.get('limits') === 'p99') s.limits = 'p99';
  if (q.get('view') === 'overlay') s.view = 'overlay';
  const opacity = Number(q.get('opacity'));
  if (q.has('opacity') && opacity >= 0 && opacity <= 1) s.opacity = opacity;
  const method = q.get('method');
  if (method && isBaselineName(method)) s.method = method;
  if (q.get('flip') === '1') s.flipping = true;
  const image = Number(q.get('image'));
  const backend = q.get('backend');
  return {
    settings: s,
    gallery: q.has('image') && Number.isInteger(image) && image >= 0 ? image : undefined,
    backend: (BACKEND_NAMES as readonly string[]).includes(backend ?? '') ? (backend as BackendName) : undefined,
  };
}
