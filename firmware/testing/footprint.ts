// Test entry: the whole firmware (main's exports) plus facts about its static memory layout, for
// the footprint benchmark. Compiled like main, so __heap_base is main's end of static memory.
export * from "../main";

/** First byte past all static data and tables: the firmware's fixed RAM footprint. */
export function staticEnd(): usize {
  return __heap_base;
}
