/** `@lrpjs/lrp/catalog`: the composite catalogue without tfjs (see composites/catalog.ts). */
export * from './composites/catalog';
