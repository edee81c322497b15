/** `@lrpjs/attribution/catalog`: the baselines' names and labels without tfjs (see methods/names.ts). */
export * from './methods/names';
