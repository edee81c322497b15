export { composite, matches } from './composite';
export type { Composite, CompositeSpec, LayerMatch, MaxPoolTreatment, RuleAssignment } from './composite';
export { tutorialComposite, epsilonGammaBox, epsilonPlus, epsilonPlusFlat, epsilonAlpha2Beta1 } from './presets';
export type { TutorialCompositeOptions, EpsilonGammaBoxOptions, ZennitCompositeOptions } from './presets';
