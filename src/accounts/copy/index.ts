export { applyCopy } from './apply';
export { copyNote, describeCopyCounts, describeCopyPreview } from './describe';
export * from './plan';
export { type CopyPlanner, copyPlanner, planCopy } from './planner';
export { type CopyPreview, previewCopy } from './preview';
export * from './report';
export { copyTargets, validateCopy } from './targets';
