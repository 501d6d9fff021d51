/**
 * Notes for BENCHMARKS.md, written from profiles (node --cpu-prof, heap
 * figures) of the runs: shown after a section, mostly where a goal is missed.
 */
import type { Notes } from './report.js';

/** The notes, by section. */
export const NOTES: Notes = {};
