// What is not a leak suspect. V8 allocates bookkeeping as a side effect of running code — compiled
// code, hidden classes (maps) and their transition and dependency lists, weak-collection backing
// tables, feedback — and it grows with the program without being what the program keeps. Reports
// leave it out of the suspects unless it is all that grew (it still counts in every total and table).
// Users add their own exclusions with `--ignore` and `heapdiff.config.json` (see docs/diff.md).

/** Classes that are V8's own metadata. */
const ENGINE_CLASSES = new Set(['(compiled code)', '(object shape)', '(system)', '(array)', '(internal array)', '(object elements)', '(object properties)']);

/** Labels of engine objects that show up as their own class (`system / WeakArrayList`, …). */
const ENGINE_LABEL = /^system \/ |^\((?:internal array|object elements|object properties|compiled code|object shape|system)\)/;

/** Edges that only the engine's bookkeeping follows (a path through one is the engine's, not the program's). */
const ENGINE_EDGE =
  /(?:^|[.\]])(?:dependent_code|retained_maps|prototype_users|transitions|feedback_vector|feedback_cell|script_context_table|code_table|weak_fixed_array|fast_template_instantiations_cache|slow_template_instantiations_cache|function_data|interpreter_data|bytecode_array|source_position_table|deoptimization_data|raw_outer_scope_info_or_feedback_metadata)\b|\(compiled code\)|\(object shape\)|system \/ NativeContext/;

/** True when a suspect of this class, whose path reads `pathText`, is the engine's bookkeeping. */
export function isEngineBookkeeping(className: string, label: string, pathText = ''): boolean {
  return ENGINE_CLASSES.has(className) || ENGINE_LABEL.test(label) || ENGINE_LABEL.test(className) || ENGINE_EDGE.test(pathText);
}

/**
 * A user's `--ignore` pattern: a class name or label (exact), or a path pattern with `*` wildcards
 * matched against the path text (`*._idlePrev*`, `bus.handlers*`). Case-sensitive, as names are.
 */
export class IgnoreRules {
  private readonly exact: Set<string>;
  private readonly globs: RegExp[];

  constructor(readonly patterns: readonly string[] = []) {
    this.exact = new Set(patterns.filter((p) => !p.includes('*')));
    this.globs = patterns.filter((p) => p.includes('*')).map((p) => new RegExp(`^${p.split('*').map(escapeRegExp).join('.*')}$`, 's'));
  }

  get empty(): boolean {
    return this.patterns.length === 0;
  }

  /** True when a suspect with this class, label or path (any of its spellings) is to be left out. */
  matches(className: string, label: string, paths: readonly string[] = []): boolean {
    if (this.exact.has(className) || this.exact.has(label)) return true;
    return this.globs.some((g) => g.test(className) || g.test(label) || paths.some((p) => g.test(p)));
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.+?()[\]{}|]/g, '\\$&');
}
